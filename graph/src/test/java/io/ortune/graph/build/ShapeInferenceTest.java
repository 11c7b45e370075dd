package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Output types the builder infers, one row per case. Every case starts from the same inputs:
 * {@code x: float[batch,seq,768]}, {@code h: float[batch,12,seq,64]}, {@code w: float[768,32]} (initializer),
 * {@code m: float[2,3]}, {@code ids: int64[batch,seq]}, {@code c: bool[seq,seq]}, {@code s: float[]}.
 */
class ShapeInferenceTest {

    private record Inputs(GraphBuilder b, Value x, Value h, Value w, Value m, Value ids, Value c, Value s) { }

    private static Arguments row(String expected, String what, Function<Inputs, Value> build) {
        return Arguments.of(what, build, expected);
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                row("float[batch,seq,768]", "add broadcasts a scalar", i -> i.b.add(i.x, i.s)),
                row("float[batch,seq,768]", "mul by a row vector", i -> i.b.mul(i.x, i.b.constFloats(new float[768]))),
                row("float[2,3]", "sub of equal shapes", i -> i.b.sub(i.m, i.m)),
                row("float[batch,seq,32]", "matmul batch x 2-D", i -> i.b.matMul(i.x, i.w)),
                row("float[batch,12,seq,seq]", "attention scores",
                        i -> i.b.matMul(i.h, i.b.transpose(i.h, 0, 1, 3, 2))),
                row("float[3]", "matmul vector x matrix", i -> i.b.matMul(i.b.constFloats(1, 2), i.m)),
                row("float[2]", "matmul matrix x vector", i -> i.b.matMul(i.m, i.b.constFloats(1, 2, 3))),
                row("float[2,2]", "gemm transB", i -> i.b.gemm(i.m, i.m, null, 1f, 1f, false, true)),
                row("float[3,3]", "gemm transA", i -> i.b.gemm(i.m, i.m, null, 1f, 1f, true, false)),
                row("float[batch,seq,768]", "softmax keeps the shape", i -> i.b.softmax(i.x, -1)),
                row("float[batch,seq,768]", "layer norm", i -> i.b.layerNorm(i.x, i.b.constFloats(new float[768]),
                        i.b.constFloats(new float[768]), -1, 1e-5f)),
                row("float[batch,seq,12,64]", "reshape with 0 and explicit dims",
                        i -> i.b.reshape(i.x, i.b.constLongs(0, 0, 12, 64))),
                row("float[batch,seq,768]", "reshape -1 cancels symbols",
                        i -> i.b.reshape(i.b.transpose(i.h, 0, 2, 1, 3), i.b.constLongs(0, 0, -1))),
                row("float[6]", "reshape -1 of a static shape", i -> i.b.reshape(i.m, -1)),
                row("float[3,2]", "reshape -1 in front", i -> i.b.reshape(i.m, -1, 2)),
                row("float[?,768]", "reshape -1 absorbing two symbols", i -> i.b.reshape(i.x, -1, 768)),
                row("float[*]", "reshape to a shape of unknown length",
                        i -> i.b.reshape(i.x, i.b.input("target", DataType.INT64, "n"))),
                row("float[?,?]", "reshape to a computed 2-element shape", i -> i.b.reshape(i.x, i.b.shape(i.m))),
                row("float[batch,seq,12,64]", "transpose", i -> i.b.transpose(i.h, 0, 2, 1, 3)),
                row("float[3,2]", "transpose without perm reverses", i -> i.b.transpose(i.m)),
                row("float[batch,1,seq,768]", "unsqueeze", i -> i.b.unsqueeze(i.x, 1)),
                row("float[1,batch,seq,768,1]", "unsqueeze two axes", i -> i.b.unsqueeze(i.x, 0, -1)),
                row("float[batch,seq,768]", "squeeze a size-1 axis",
                        i -> i.b.squeeze(i.b.unsqueeze(i.x, 1), 1)),
                row("float[2,3]", "squeeze all without axes", i -> i.b.squeeze(i.b.unsqueeze(i.m, 0, 3))),
                row("float[batch,seq,1536]", "concat sums known sizes", i -> i.b.concat(-1, i.x, i.x)),
                row("float[batch,?,768]", "concat over a symbolic axis", i -> i.b.concat(1, i.x, i.x)),
                row("float[4,3]", "concat axis 0", i -> i.b.concat(0, i.m, i.m)),
                row("float[batch,seq,768]", "gather rows of an embedding", i -> i.b.gather(i.b.initializer("emb",
                        Tensor.ofFloats("emb", new long[] {100, 768}, new float[100 * 768])), i.ids, 0)),
                row("float[2]", "gather a scalar index", i -> i.b.gather(i.m, i.b.constLong(1), 1)),
                row("float[2,3]", "gather elements", i -> i.b.gatherElements(i.m,
                        i.b.constant(Tensor.ofLongs("i", new long[] {2, 3}, 0, 0, 0, 0, 0, 0)), 1)),
                row("float[batch,seq,10]", "slice with constants", i -> i.b.slice(i.x, new long[] {0},
                        new long[] {10}, new long[] {2})),
                row("float[batch,seq,384]", "slice with a step", i -> i.b.slice(i.x, new long[] {0},
                        new long[] {Long.MAX_VALUE}, new long[] {-1}, new long[] {2})),
                row("float[batch,seq,768]", "full slice keeps a symbol", i -> i.b.slice(i.x, new long[] {0},
                        new long[] {Long.MAX_VALUE}, new long[] {1})),
                row("float[2,1]", "slice from the end", i -> i.b.slice(i.m, new long[] {-1}, new long[] {-3},
                        new long[] {1}, new long[] {-2})),
                row("float[batch,seq,384]", "split first part", i -> i.b.split(i.x, -1, 384, 384).get(0)),
                row("float[batch,seq,256]", "even split", i -> i.b.splitEven(i.x, 2, 3).get(2)),
                row("float[batch,seq,1]", "reduce mean keepdims", i -> i.b.reduceMean(i.x, new long[] {-1}, true)),
                row("float[batch,seq]", "reduce sum without keepdims",
                        i -> i.b.reduceSum(i.x, new long[] {2}, false)),
                row("float[]", "reduce max over everything", i -> i.b.reduceMax(i.m, new long[0], false)),
                row("int64[3]", "shape", i -> i.b.shape(i.x)),
                row("int64[2]", "shape with start", i -> i.b.shape(i.x, 1, 3)),
                row("int64[]", "size", i -> i.b.size(i.x)),
                row("int64[5]", "range of constants", i -> i.b.range(i.b.constLong(0), i.b.constLong(10),
                        i.b.constLong(2))),
                row("int64[?]", "range of computed bounds", i -> i.b.range(i.b.constLong(0),
                        i.b.squeeze(i.b.shape(i.x, 1, 2), 0), i.b.constLong(1))),
                row("float[2,3]", "constant of shape", i -> i.b.constantOfShape(i.b.constLongs(2, 3),
                        Tensor.ofFloats("v", new long[] {1}, 0f))),
                row("int64[?,?,?]", "constant of a computed shape", i -> i.b.constantOfShape(i.b.shape(i.x),
                        Tensor.ofLongs("v", new long[] {1}, 0))),
                row("float[batch,seq,768]", "expand keeps the larger dims",
                        i -> i.b.expand(i.x, i.b.constLongs(1, 1, 768))),
                row("float[?,?,?,?]", "expand to a computed shape: rank only", i -> i.b.expand(i.m,
                        i.b.concat(0, i.b.shape(i.x, 0, 1), i.b.constLongs(4, 2, 3)))),
                row("bool[seq,seq]", "equal", i -> i.b.equal(i.c, i.c)),
                row("bool[batch,seq]", "less", i -> i.b.less(i.ids, i.b.constLong(5))),
                row("bool[seq,seq]", "not", i -> i.b.not(i.c)),
                row("float[batch,12,seq,seq]", "where masks scores", i -> i.b.where(i.c, i.s,
                        i.b.matMul(i.h, i.b.transpose(i.h, 0, 1, 3, 2)))),
                row("float16[batch,seq,768]", "cast", i -> i.b.cast(i.x, DataType.FLOAT16)),
                row("float[batch,seq,768]", "tanh", i -> i.b.tanh(i.x)),
                row("float[batch,seq,768]", "sigmoid x mul (silu)", i -> i.b.mul(i.x, i.b.sigmoid(i.x))),
                row("float[batch,seq,768]", "pow by a scalar", i -> i.b.pow(i.x, i.b.constFloat(2))),
                row("float[2,3]", "clip", i -> i.b.clip(i.m, i.b.constFloat(0), i.b.constFloat(6))),
                row("float[2,3]", "max of three", i -> i.b.max(i.m, i.m, i.s)),
                row("float[seq,seq]", "trilu", i -> i.b.trilu(i.b.cast(i.c, DataType.FLOAT), true, 1)),
                row("float[batch,seq,768]", "dropout", i -> i.b.dropout(i.x, 0.1f)),
                row("float[batch,seq,768]", "identity", i -> i.b.identity(i.x)),
                row("float[batch,12,seq,seq]", "einsum", i -> i.b.einsum("bhqd,bhkd->bhqk", i.h, i.h)),
                row("float[2,3]", "einsum implicit output keeps letters used once", i -> i.b.einsum("ij", i.m)),
                row("float[2,2]", "einsum implicit matmul", i -> i.b.einsum("ij,jk", i.m, i.b.transpose(i.m))),
                row("float[2,3]", "scatterND", i -> i.b.scatterND(i.m, i.b.constant(Tensor.ofLongs("i",
                        new long[] {1, 1}, 0)), i.b.constFloats(1, 2, 3))),
                row("int64[batch,seq]", "mod", i -> i.b.mod(i.ids, i.b.constLong(7))),
                row("float[batch,seq,768]", "log softmax", i -> i.b.logSoftmax(i.x, 2)),
                row("float[batch,seq,768]", "cumsum keeps type and shape",
                        i -> i.b.op("", "CumSum", java.util.List.of(i.x, i.b.constLong(1)))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void infersOutputType(String what, Function<Inputs, Value> build, String expected) {
        GraphBuilder b = GraphBuilder.create("g");
        Inputs in = new Inputs(b,
                b.input("x", DataType.FLOAT, "batch", "seq", 768),
                b.input("h", DataType.FLOAT, "batch", 12, "seq", 64),
                b.initializer("w", Tensor.ofFloats("w", new long[] {768, 32}, new float[768 * 32])),
                b.input("m", DataType.FLOAT, 2, 3),
                b.input("ids", DataType.INT64, "batch", "seq"),
                b.input("c", DataType.BOOL, "seq", "seq"),
                b.input("s", DataType.FLOAT));
        Value out = build.apply(in);
        assertThat(String.valueOf(out.type())).as(what).isEqualTo(expected);
    }
}
