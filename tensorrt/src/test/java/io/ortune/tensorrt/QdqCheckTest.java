package io.ortune.tensorrt;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.tensorrt.QdqFinding.Severity;
import io.ortune.tensorrt.TinyModels.Qdq;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class QdqCheckTest {

    @Test
    void floatModelHasNoQdqAndItsMatMulStaysFloat() {
        QdqReport r = QdqCheck.check(TinyModels.floatMatMul());
        assertThat(r.hasQdq()).isFalse();
        assertThat(r.int8Ready()).isFalse();
        assertThat(r.weightedOps()).isEqualTo(1);
        assertThat(r.quantizedWeightedOps()).isZero();
        assertThat(r.findings()).extracting(QdqFinding::severity).containsOnly(Severity.WARNING);
    }

    @Test
    void wellPlacedSymmetricPerChannelQdqIsReady() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good()));
        assertThat(r.findings()).isEmpty();
        assertThat(r.int8Ready()).isTrue();
        assertThat(r.qdqNodes()).isEqualTo(3);
        assertThat(r.quantizedWeightedOps()).isEqualTo(1);
        assertThat(r.summary()).isEqualTo("3 Q/DQ nodes; 1 of 1 weighted ops quantized; 0 errors, 0 warnings, 0 notes");
    }

    @Test
    void perChannelScaleOnTheInputChannelAxisIsAnError() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().axis(0)));
        assertThat(r.errors()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("'w_q' [4, 4]", "along axis 0", "output channels on axis 1"));
        assertThat(r.int8Ready()).isFalse();
    }

    @Test
    void negativeAxisIsNormalized() {
        assertThat(QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().axis(-1))).errors()).isEmpty();
    }

    @Test
    void asymmetricZeroPointIsAnErrorOnEveryQdqNode() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().zeroPoint(3, DataType.INT8)));
        assertThat(r.errors()).hasSize(3).allSatisfy(f -> assertThat(f.message())
                .contains("is not 0 (asymmetric)", "symmetric"));
    }

    @Test
    void uint8QdqIsAnError() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().zeroPoint(0, DataType.UINT8)));
        assertThat(r.errors()).isNotEmpty().allSatisfy(f -> assertThat(f.message()).contains("is uint8",
                "needs int8"));
    }

    @Test
    void unquantizedActivationIsAWarningNotAnError() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().activation(false)));
        assertThat(r.errors()).isEmpty();
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.WARNING);
            assertThat(f.message()).contains("input 'x' has no Q/DQ", "stays in float");
        });
        assertThat(r.quantizedWeightedOps()).isZero();
    }

    @Test
    void perTensorWeightScaleIsANote() {
        QdqReport r = QdqCheck.check(TinyModels.qdqMatMul(Qdq.good().perTensorWeight()));
        assertThat(r.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.NOTE);
            assertThat(f.message()).contains("per-channel scales (axis 1)");
        });
    }

    /** Gemm with transB=1 keeps output channels on axis 0 of its [N,K] weight; Conv always on axis 0. */
    @Test
    void gemmTransBAndConvExpectAxisZero() {
        assertThat(QdqCheck.check(gemm(1, 0)).errors()).isEmpty();
        assertThat(QdqCheck.check(gemm(1, 1)).errors()).singleElement().satisfies(f -> assertThat(f.message())
                .contains("along axis 1", "Gemm", "output channels on axis 0"));
        assertThat(QdqCheck.check(gemm(0, 1)).errors()).isEmpty();
        assertThat(QdqCheck.check(conv()).findings()).isEmpty();
    }

    private static Model gemm(int transB, int axis) {
        GraphBuilder b = GraphBuilder.create("gemm");
        Value x = TinyModels.qdq(b, b.input("x", DataType.FLOAT, 2, 4), "x", Qdq.good());
        Value w = dq(b, "w", new long[] {4, 4}, 4, axis);
        b.output(b.op("", "Gemm", List.of(x, w), new Attribute.IntAttr("transB",
                transB)), "y");
        return b.model();
    }

    private static Model conv() {
        GraphBuilder b = GraphBuilder.create("conv");
        Value x = TinyModels.qdq(b, b.input("x", DataType.FLOAT, 1, 1, 3, 3), "x", Qdq.good());
        Value w = dq(b, "w", new long[] {2, 1, 1, 1}, 2, 0);
        b.output(b.op("", "Conv", List.of(x, w)), "y");
        return b.model();
    }

    private static Value dq(GraphBuilder b, String name, long[] dims,
                                               int channels, int axis) {
        int n = (int) Arrays.stream(dims).reduce(1, (p, q) -> p * q);
        float[] scales = new float[channels];
        Arrays.fill(scales, 0.02f);
        Value q = b.initializer(name + "_q", Tensor.ofBytes(name + "_q",
                DataType.INT8, dims, new byte[n]));
        Value s = b.initializer(name + "_s", Tensor.ofFloats(name + "_s",
                new long[] {channels}, scales));
        Value z = b.initializer(name + "_z", Tensor.ofBytes(name + "_z",
                DataType.INT8, new long[] {channels}, new byte[channels]));
        return b.op("", "DequantizeLinear", List.of(q, s, z),
                new Attribute.IntAttr("axis", axis));
    }

    @Test
    void residualAddWithoutQdqOnTheSkipGetsANote() {
        QdqReport without = QdqCheck.check(TinyModels.residualBlock(false));
        assertThat(without.findings()).singleElement().satisfies(f -> {
            assertThat(f.severity()).isEqualTo(Severity.NOTE);
            assertThat(f.message()).contains("residual input", "fuse this Add into MatMul");
        });
        assertThat(QdqCheck.check(TinyModels.residualBlock(true)).findings()).isEmpty();
    }
}
