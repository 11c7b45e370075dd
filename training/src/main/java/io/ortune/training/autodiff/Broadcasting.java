package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code unbroadcast}: the gradient of a broadcast operand is the output gradient summed over the axes along
 * which the operand was stretched. With static shapes (or matching symbolic dims) the axes are known when the
 * graph is built; otherwise they are computed at run time from {@code Shape} ops.
 */
final class Broadcasting {

    /** Axes to sum: {@code lead} leading axes that the target lacks, then {@code axes} (all, in grad coordinates). */
    record Plan(int lead, long[] axes) {
        boolean identity() {
            return axes.length == 0;
        }

        boolean onlyLeading() {
            return axes.length == lead;
        }
    }

    private Broadcasting() {
    }

    /**
     * @param others the shapes of the other operands broadcast together with {@code target} (null when not known):
     *               an axis where none of them can be larger than the target's dim was not stretched, even when
     *               the dims are symbolic or unknown
     * @param exempt trailing axes that never broadcast (the matrix dims of MatMul)
     */
    static Value unbroadcast(GradContext c, Value grad, Value target, List<Shape> others, int exempt) {
        Shape gs = grad.shape();
        Shape ts = target.shape();
        if (gs != null && ts != null && gs.hasRank() && ts.hasRank()) {
            Plan p = plan(gs, ts, others, exempt);
            if (p != null) {
                return applyStatic(c.builder(), grad, p);
            }
            return dynamic(c, grad, target, gs.rank() - ts.rank());
        }
        return dynamic(c, grad, target, -1);
    }

    /** The static plan, or null when a symbolic or unknown dim leaves it open whether the target was stretched. */
    static Plan plan(Shape grad, Shape target, List<Shape> others, int exempt) {
        int lead = grad.rank() - target.rank();
        if (lead < 0) {
            throw new IllegalStateException("gradient of shape " + grad + " has lower rank than its operand "
                    + target);
        }
        List<Long> axes = new ArrayList<>();
        for (int i = 0; i < lead; i++) {
            axes.add((long) i);
        }
        for (int i = 0; i < target.rank() - exempt; i++) {
            Dim td = target.dim(i);
            Dim gd = grad.dim(lead + i);
            if (isOne(td)) {
                if (!isOne(gd)) {
                    axes.add((long) (lead + i));
                }
            } else if (td.isKnown() || isOne(gd) || td.equals(gd) && td instanceof Dim.Symbolic
                    || !canStretch(td, target.rank() - i, others)) {
                continue;
            } else {
                return null;
            }
        }
        return new Plan(lead, axes.stream().mapToLong(Long::longValue).toArray());
    }

    /**
     * Whether some other operand may have made the target's dim {@code td} (at {@code fromEnd} axes from the
     * right) larger: one that has that axis with a dim that is not 1 and not the same symbol.
     */
    private static boolean canStretch(Dim td, int fromEnd, List<Shape> others) {
        if (others == null) {
            return true;
        }
        for (Shape o : others) {
            if (o == null || !o.hasRank()) {
                return true;
            }
            if (o.rank() < fromEnd) {
                continue;
            }
            Dim od = o.dim(o.rank() - fromEnd);
            boolean same = od instanceof Dim.Symbolic && od.equals(td);
            if (!isOne(od) && !same) {
                return true;
            }
        }
        return false;
    }

    private static boolean isOne(Dim d) {
        return d instanceof Dim.Known k && k.size() == 1;
    }

    private static Value applyStatic(GraphBuilder b, Value grad, Plan p) {
        if (p.identity()) {
            return grad;
        }
        if (p.onlyLeading()) {
            return b.reduceSum(grad, p.axes(), false);
        }
        Value reduced = b.reduceSum(grad, p.axes(), true);
        if (p.lead() == 0) {
            return reduced;
        }
        long[] leading = new long[p.lead()];
        for (int i = 0; i < leading.length; i++) {
            leading[i] = i;
        }
        return b.squeeze(reduced, leading);
    }

    /**
     * Run-time axes: pad the target's shape with leading ones to the gradient's rank, sum over every axis where
     * it is 1 (summing a size-1 axis of the gradient changes nothing), then reshape to the target's shape.
     * {@code lead} is the rank difference when known, else -1.
     */
    private static Value dynamic(GradContext c, Value grad, Value target, int lead) {
        GraphBuilder b = c.builder();
        Value targetShape = b.shape(target);
        Value padded = targetShape;
        if (lead > 0) {
            long[] ones = new long[lead];
            java.util.Arrays.fill(ones, 1);
            padded = b.concat(0, b.constLongs(ones), targetShape);
        } else if (lead < 0) {
            Value rankDiff = b.sub(b.size(b.shape(grad)), b.size(targetShape));
            Value ones = b.expand(b.constLongs(1), b.reshape(rankDiff, 1));
            padded = b.concat(0, ones, targetShape);
        }
        Value mask = b.equal(padded, b.constLongs(1));
        Value axes = b.reshape(b.op("", "NonZero", List.of(mask)), -1);
        Value reduced = b.op("", "ReduceSum", List.of(grad, axes), new Attribute.IntAttr("keepdims", 1),
                new Attribute.IntAttr("noop_with_empty_axes", 1));
        return b.reshape(reduced, targetShape);
    }
}
