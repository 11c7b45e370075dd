package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.DISTINCT;
import static io.ortune.training.autodiff.Sampler.REAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules' ONNX Runtime kernel variants (float32): against central differences, and against the standard-op
 * variant of the same rule.
 */
class OrtKernelGradTest {

    static final AutodiffOptions ORT = AutodiffOptions.defaults().withOrtGradientKernels(true);

    static Stream<OpCase> cases() {
        return Stream.of(
                OpCase.of("Tanh").float32().in("x", REAL, 2, 3).body((b, x) -> b.tanh(x.get(0))),
                OpCase.of("Sigmoid").float32().in("x", REAL, 2, 3).body((b, x) -> b.sigmoid(x.get(0))),
                OpCase.of("Relu").float32().in("x", DISTINCT, 2, 3).body((b, x) -> b.relu(x.get(0))),
                OpCase.of("Gelu none").float32().opset(20).in("x", REAL, 2, 5).body((b, x) -> b.gelu(x.get(0))),
                OpCase.of("Gelu tanh").float32().opset(20).in("x", REAL, 2, 5)
                        .body((b, x) -> b.gelu(x.get(0), "tanh")),
                OpCase.of("Softmax axis -1").float32().in("x", REAL, 2, 3, 5).body((b, x) -> b.softmax(x.get(0), -1)),
                OpCase.of("Softmax axis 1").float32().in("x", REAL, 2, 3, 5).body((b, x) -> b.softmax(x.get(0), 1)),
                OpCase.of("LogSoftmax").float32().in("x", REAL, 4, 5).body((b, x) -> b.logSoftmax(x.get(0), -1)),
                OpCase.of("LayerNormalization").float32().in("x", REAL, 2, 3, 8).in("s", REAL, 8).in("b", REAL, 8)
                        .body((b, x) -> b.layerNorm(x.get(0), x.get(1), x.get(2), -1, 1e-5f)),
                OpCase.of("LayerNormalization no bias").float32().in("x", REAL, 3, 8).in("s", REAL, 8)
                        .body((b, x) -> b.layerNorm(x.get(0), x.get(1), null, -1, 1e-5f)),
                OpCase.of("MatMul batched").float32().in("a", REAL, 2, 3, 4).in("w", REAL, 2, 4, 5)
                        .body((b, x) -> b.matMul(x.get(0), x.get(1))),
                OpCase.of("MatMul broadcast batch").float32().in("a", REAL, 2, 1, 3, 4).in("w", REAL, 3, 4, 5)
                        .body((b, x) -> b.matMul(x.get(0), x.get(1))),
                OpCase.of("MatMul 1-D left").float32().in("a", REAL, 4).in("w", REAL, 2, 4, 5)
                        .body((b, x) -> b.matMul(x.get(0), x.get(1))),
                OpCase.of("Gather axis 0 repeated").float32().in("t", REAL, 5, 3)
                        .body((b, x) -> b.gather(x.get(0),
                                ShapeIndexGradTest.ids(b, new long[] {2, 2}, 1, 4, 1, 1), 0)),
                OpCase.of("Gather axis 1").float32().in("t", REAL, 2, 5, 3)
                        .body((b, x) -> b.gather(x.get(0), ShapeIndexGradTest.ids(b, new long[] {3}, 4, 0, 4), 1)),
                OpCase.of("GatherElements").float32().in("t", REAL, 3, 4).body((b, x) -> b.gatherElements(x.get(0),
                        ShapeIndexGradTest.ids(b, new long[] {3, 2}, 0, 0, 3, 1, 2, 2), 1)),
                OpCase.of("Slice step 2").float32().in("x", REAL, 4, 7).body((b, x) -> b.slice(x.get(0),
                        new long[] {1}, new long[] {7}, new long[] {1}, new long[] {2})),
                OpCase.of("SoftmaxCrossEntropyLoss mean, ignore_index").float32().in("s", REAL, 6, 5)
                        .body((b, x) -> ReduceLossGradTest.sce(b, x.get(0), ReduceLossGradTest.labels(b,
                                new long[] {6}, 1, -100, 4, 0, -100, 2), null, "mean", -100L)),
                OpCase.of("SoftmaxCrossEntropyLoss sum, [N,C,d]").float32().in("s", REAL, 2, 4, 3)
                        .body((b, x) -> ReduceLossGradTest.sce(b, x.get(0), ReduceLossGradTest.labels(b,
                                new long[] {2, 3}, 0, 3, 1, 1, 1, 2), null, "sum", null)),
                OpCase.of("SoftmaxCrossEntropyLoss weights").float32().in("s", REAL, 5, 4)
                        .body((b, x) -> ReduceLossGradTest.sce(b, x.get(0), ReduceLossGradTest.labels(b,
                                new long[] {5}, 0, 3, 3, 1, 2), b.constFloats(0.5f, 2f, 1f, 3f), "mean", null)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesCentralDifferences(OpCase c) {
        AutodiffResult r = GradCheck.check(c.withOptions(ORT));
        assertThat(r.report().ortKernelsUsed()).as("ONNX Runtime kernels used").isNotEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void matchesTheStandardRule(OpCase c) {
        Map<String, double[]> fused = GradCheck.gradients(c, ORT);
        Map<String, double[]> standard = GradCheck.gradients(c, AutodiffOptions.defaults());
        for (String name : standard.keySet()) {
            Closeness.assertClose(c + ": " + name + " gradient, ONNX Runtime kernel vs standard ops",
                    fused.get(name), standard.get(name), null, Tolerance.SAME_MATH_FLOAT);
        }
    }

    /** Dropout is random: the gradient must be g * mask / (1 - ratio) with the mask the forward pass drew. */
    @Test
    void dropoutInTrainingModeUsesItsMask() {
        for (AutodiffOptions o : List.of(AutodiffOptions.defaults(), ORT)) {
            GraphBuilder b = GraphBuilder.create("dropout");
            Value x = b.input("x", DataType.FLOAT, 4, 50);
            Value y = b.op("", "Dropout", List.of(x, b.constFloat(0.3f), b.constant(Tensor.ofBooleans("t",
                    new long[0], true))), new Attribute.IntAttr("seed", 5));
            y.setType(x.type());
            b.output(b.reduceSum(b.mul(y, b.constFloat(2f)), null, false), "L");
            Model m = b.model();
            AutodiffResult r = Autodiff.differentiate(m, "L", TrainableSet.names("x"), o);
            Value maskValue = r.model().graph().nodes().stream().filter(n -> n.opType().equals("Dropout"))
                    .map(n -> n.output(1)).findFirst().orElseThrow();
            r.model().graph().addOutput(maskValue);
            String mask = maskValue.name();
            float[] ones = new float[200];
            java.util.Arrays.fill(ones, 1f);
            Map<String, Tensor> out = Ort.run(r.model(), Map.of("x", Tensor.ofFloats("x", new long[] {4, 50}, ones)),
                    List.of("x_grad", mask));
            float[] g = out.get("x_grad").toFloats();
            byte[] kept = new byte[200];
            out.get(mask).bytes().get(kept);
            int dropped = 0;
            for (int i = 0; i < 200; i++) {
                assertThat(g[i]).as("x_grad[%d]", i).isCloseTo(kept[i] != 0 ? 2f / 0.7f : 0f,
                        org.assertj.core.data.Offset.offset(1e-6f));
                dropped += kept[i] == 0 ? 1 : 0;
            }
            assertThat(dropped).as("dropped elements of 200 at ratio 0.3").isBetween(30, 90);
        }
    }

    @Test
    void dropoutInInferenceModeIsIdentity() {
        OpCase c = OpCase.of("Dropout without training_mode").float32().in("x", REAL, 3, 4)
                .body((b, x) -> b.dropout(x.get(0), 0.5f));
        for (AutodiffOptions o : List.of(AutodiffOptions.defaults(), ORT)) {
            AutodiffResult r = GradCheck.check(c.withOptions(o));
            for (Node n : r.model().graph().nodes()) {
                assertThat(n.opType()).isNotEqualTo("DropoutGrad");
            }
        }
    }
}
