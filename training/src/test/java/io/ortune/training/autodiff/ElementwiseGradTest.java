package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.DISTINCT;
import static io.ortune.training.autodiff.Sampler.POSITIVE;
import static io.ortune.training.autodiff.Sampler.REAL;
import static io.ortune.training.autodiff.Sampler.SMALL;

import io.ortune.graph.ir.Tensor;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Arithmetic and unary math rules against central differences, broadcasting included. */
class ElementwiseGradTest {

    static Stream<OpCase> arithmetic() {
        return Stream.of(
                OpCase.of("Add").in("a", REAL, 2, 3).in("b", REAL, 2, 3).body((b, x) -> b.add(x.get(0), x.get(1))),
                OpCase.of("Add bias [4] + [2,3,4]").in("x", REAL, 2, 3, 4).in("bias", REAL, 4)
                        .body((b, x) -> b.add(x.get(0), x.get(1))),
                OpCase.of("Add scalar + [2,3]").in("s", REAL).in("x", REAL, 2, 3)
                        .body((b, x) -> b.add(x.get(0), x.get(1))),
                OpCase.of("Add [2,1,4] + [3,1]").in("a", REAL, 2, 1, 4).in("b", REAL, 3, 1)
                        .body((b, x) -> b.add(x.get(0), x.get(1))),
                OpCase.of("Sub [2,3] - [3]").in("a", REAL, 2, 3).in("b", REAL, 3)
                        .body((b, x) -> b.sub(x.get(0), x.get(1))),
                OpCase.of("Mul").in("a", REAL, 2, 3).in("b", REAL, 2, 3).body((b, x) -> b.mul(x.get(0), x.get(1))),
                OpCase.of("Mul [2,3,4] * [1,3,1]").in("a", REAL, 2, 3, 4).in("b", REAL, 1, 3, 1)
                        .body((b, x) -> b.mul(x.get(0), x.get(1))),
                OpCase.of("Mul x * x (same value twice)").in("x", REAL, 5).body((b, x) -> b.mul(x.get(0), x.get(0))),
                OpCase.of("Mul with frozen operand").in("a", REAL, 2, 3).fixed("w", REAL, 3)
                        .body((b, x) -> b.mul(x.get(0), x.get(1))),
                OpCase.of("Div").in("a", REAL, 2, 3).in("b", POSITIVE, 2, 3).body((b, x) -> b.div(x.get(0), x.get(1))),
                OpCase.of("Div by scalar").in("a", REAL, 2, 3).in("b", POSITIVE)
                        .body((b, x) -> b.div(x.get(0), x.get(1))),
                OpCase.of("Pow x^y").in("x", POSITIVE, 2, 3).in("y", SMALL, 2, 3)
                        .body((b, x) -> b.pow(x.get(0), x.get(1))),
                OpCase.of("Pow x^2 (constant)").in("x", REAL, 2, 3)
                        .body((b, x) -> b.pow(x.get(0), b.scalarLike(x.get(0), 2))),
                OpCase.of("Pow x^3 (constant)").in("x", REAL, 2, 3)
                        .body((b, x) -> b.pow(x.get(0), b.scalarLike(x.get(0), 3))),
                OpCase.of("Pow x^0.5 (float exponent, double base)").in("x", POSITIVE, 4)
                        .body((b, x) -> b.pow(x.get(0), b.constFloat(0.5f))),
                OpCase.of("Sum variadic, broadcast").in("a", REAL, 2, 3).in("b", REAL, 3).in("c", REAL)
                        .body((b, x) -> b.op("", "Sum", x)),
                OpCase.of("Mean variadic").float32().in("a", REAL, 2, 3).in("b", REAL, 2, 3)
                        .body((b, x) -> b.op("", "Mean", x)),
                OpCase.of("Max").in("a", DISTINCT, 2, 3).in("b", DISTINCT, 2, 3)
                        .body((b, x) -> b.max(x.get(0), x.get(1))),
                OpCase.of("Min of three, broadcast").in("a", DISTINCT, 2, 3).in("b", DISTINCT, 3)
                        .in("c", DISTINCT, 2, 1).body((b, x) -> b.min(x.get(0), x.get(1), x.get(2))),
                OpCase.of("Where, broadcast").in("x", REAL, 2, 3).in("y", REAL, 3)
                        .body((b, x) -> b.where(b.constant(Tensor.ofBooleans("c", new long[] {2, 3},
                                true, false, true, false, false, true)), x.get(0), x.get(1))),
                OpCase.of("Clip [-0.5, 0.5]").in("x", DISTINCT, 3, 4)
                        .body((b, x) -> b.clip(x.get(0), b.scalarLike(x.get(0), -0.5), b.scalarLike(x.get(0), 0.5))),
                OpCase.of("Clip min only").in("x", DISTINCT, 3, 4)
                        .body((b, x) -> b.clip(x.get(0), b.scalarLike(x.get(0), 0.1), null)),
                OpCase.of("Clip with trainable bounds").in("x", DISTINCT, 3, 4).in("lo", Sampler.uniform(-0.6, -0.5))
                        .in("hi", Sampler.uniform(0.5, 0.6)).body((b, x) -> b.clip(x.get(0), x.get(1), x.get(2))));
    }

    static Stream<OpCase> unary() {
        return Stream.of(
                OpCase.of("Neg").in("x", REAL, 2, 3).body((b, x) -> b.neg(x.get(0))),
                OpCase.of("Sqrt").in("x", POSITIVE, 2, 3).body((b, x) -> b.sqrt(x.get(0))),
                OpCase.of("Exp").in("x", REAL, 2, 3).body((b, x) -> b.exp(x.get(0))),
                OpCase.of("Log").in("x", POSITIVE, 2, 3).body((b, x) -> b.log(x.get(0))),
                OpCase.of("Abs").in("x", DISTINCT, 2, 3).body((b, x) -> b.abs(x.get(0))),
                OpCase.of("Reciprocal").in("x", POSITIVE, 2, 3).body((b, x) -> b.op("", "Reciprocal", x)),
                OpCase.of("Sin").float32().in("x", REAL, 2, 3).body((b, x) -> b.sin(x.get(0))),
                OpCase.of("Cos").float32().in("x", REAL, 2, 3).body((b, x) -> b.cos(x.get(0))),
                OpCase.of("Erf").float32().in("x", REAL, 2, 3).body((b, x) -> b.erf(x.get(0))),
                OpCase.of("Tanh").in("x", REAL, 2, 3).body((b, x) -> b.tanh(x.get(0))),
                OpCase.of("Sigmoid").in("x", REAL, 2, 3).body((b, x) -> b.sigmoid(x.get(0))),
                OpCase.of("Relu").in("x", DISTINCT, 2, 3).body((b, x) -> b.relu(x.get(0))),
                OpCase.of("LeakyRelu").float32().in("x", DISTINCT, 2, 3)
                        .body((b, x) -> typedLike(b.op("", "LeakyRelu", x,
                        new io.ortune.graph.ir.Attribute.FloatAttr("alpha", 0.1f)), x.get(0))),
                OpCase.of("Softplus").float32().in("x", REAL, 2, 3).body((b, x) -> b.op("", "Softplus", x)),
                OpCase.of("Gelu none (opset 20)").float32().opset(20).in("x", REAL, 2, 5)
                        .body((b, x) -> b.gelu(x.get(0))),
                OpCase.of("Gelu tanh (opset 20)").float32().opset(20).in("x", REAL, 2, 5)
                        .body((b, x) -> b.gelu(x.get(0), "tanh")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("arithmetic")
    void arithmeticMatchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unary")
    void unaryMatchesCentralDifferences(OpCase c) {
        GradCheck.check(c);
    }

    /** Ops ortune's schemas do not type (LeakyRelu): the output has the input's type. */
    static io.ortune.graph.ir.Value typedLike(io.ortune.graph.ir.Value y, io.ortune.graph.ir.Value x) {
        y.setType(x.type());
        return y;
    }
}
