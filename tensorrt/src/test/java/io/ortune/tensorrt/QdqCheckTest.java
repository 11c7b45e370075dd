package io.ortune.tensorrt;

import io.ortune.graph.ir.DataType;
import io.ortune.tensorrt.QdqFinding.Severity;
import io.ortune.tensorrt.TinyModels.Qdq;
import org.junit.jupiter.api.Test;

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
