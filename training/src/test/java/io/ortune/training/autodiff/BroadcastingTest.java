package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.Sampler.REAL;
import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code unbroadcast}: static plans, symbolic dims, and the run-time path when shapes leave it open. */
class BroadcastingTest {

    private static Shape s(Object... dims) {
        return Shape.of(dims);
    }

    private static long[] axes(Shape grad, Shape target, List<Shape> others) {
        Broadcasting.Plan p = Broadcasting.plan(grad, target, others, 0);
        return p == null ? null : p.axes();
    }

    @Test
    void staticPlans() {
        assertThat(axes(s(2, 3, 4), s(4), null)).containsExactly(0, 1);
        assertThat(axes(s(2, 3, 4), s(3, 1), null)).containsExactly(0, 2);
        assertThat(axes(s(2, 3, 4), s(2, 3, 4), null)).isEmpty();
        assertThat(axes(s(2, 3), s(), null)).containsExactly(0, 1);
        assertThat(axes(s(1, 3), s(1, 3), null)).isEmpty();
    }

    @Test
    void symbolicDimsThatMatchNeedNoRunTimeShapes() {
        assertThat(axes(s("batch", "seq", 32), s(32), null)).containsExactly(0, 1);
        assertThat(axes(s("batch", "seq", 32), s("batch", "seq", 32), null)).isEmpty();
        assertThat(axes(s("batch", "seq", 32), s("batch", 1, 32), null)).containsExactly(1);
    }

    @Test
    void unknownDimsAreResolvedByTheOtherOperands() {
        Shape unknown = new Shape(List.of(Dim.of("batch"), Dim.UNKNOWN, Dim.of(32)));
        // ambiguous alone: the target's unknown dim may be 1 at run time
        assertThat(axes(unknown, unknown, null)).isNull();
        // but a bias [32] or a scalar cannot have stretched it
        assertThat(axes(unknown, unknown, List.of(s(32)))).isEmpty();
        assertThat(axes(unknown, unknown, List.of(s()))).isEmpty();
        // another operand with an unknown dim there could have
        assertThat(axes(unknown, unknown, List.of(unknown))).isNull();
    }

    /** Hides static shapes behind run-time reshapes, so the gradient must find its axes with Shape ops. */
    private static Value opaque(GraphBuilder b, Value x, boolean hideRank) {
        Value y = b.reshape(x, b.shape(x));
        if (hideRank) {
            y.setType(null);
        }
        return y;
    }

    private static OpCase dynamicAdd(boolean hideRank) {
        return OpCase.of("Add [2,3] + [1,3] behind run-time shapes" + (hideRank ? ", unknown rank" : ""))
                .in("a", REAL, 2, 3).in("c", REAL, 1, 3).body((b, x) -> {
                    Value y = b.add(opaque(b, x.get(0), hideRank), opaque(b, x.get(1), hideRank));
                    y.setType(ValueType.tensor(DataType.DOUBLE, Shape.ofLongs(2, 3)));
                    return y;
                });
    }

    @Test
    void runTimeAxesWhenShapesAreUnknown() {
        for (boolean hideRank : new boolean[] {false, true}) {
            AutodiffResult r = GradCheck.check(dynamicAdd(hideRank));
            assertThat(r.model().graph().nodes()).as("run-time axes").anyMatch(n -> n.opType().equals("NonZero"));
        }
    }

    @Test
    void runTimeAxesForAScalarOperand() {
        OpCase c = OpCase.of("Mul [2,3] * scalar behind run-time shapes").in("a", REAL, 2, 3).in("k", REAL)
                .body((b, x) -> {
                    Value y = b.mul(opaque(b, x.get(0), true), opaque(b, x.get(1), true));
                    y.setType(ValueType.tensor(DataType.DOUBLE, Shape.ofLongs(2, 3)));
                    return y;
                });
        GradCheck.check(c);
    }
}
