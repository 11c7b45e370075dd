package io.ortune.training.autodiff;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * The cheap form of a Slice gradient: when starts, ends and axes are constants, every step is 1 and the sliced
 * dims are known, the gradient is the output gradient zero-padded back to the input's extent.
 */
final class SlicePadding {

    private SlicePadding() {
    }

    /** The padded gradient, or null when the slice is not of the static, unit-step kind. */
    static Value tryPad(GradContext c, Node n, Value g) {
        long[] starts = constant(n, 1);
        long[] ends = constant(n, 2);
        long[] axes = n.input(3) == null ? null : constant(n, 3);
        long[] steps = n.input(4) == null ? null : constant(n, 4);
        int r = GradContext.rank(n.input(0));
        if (starts == null || ends == null || r < 0 || n.input(3) != null && axes == null
                || n.input(4) != null && steps == null || !allOnes(steps)) {
            return null;
        }
        long[] dims = n.input(0).shape().dims().stream()
                .mapToLong(d -> d instanceof io.ortune.graph.ir.Dim.Known k ? k.size() : -1).toArray();
        long[] pads = new long[2 * r];
        for (int k = 0; k < starts.length; k++) {
            int axis = (int) (axes == null ? k : axes[k] < 0 ? axes[k] + r : axes[k]);
            long d = dims[axis];
            if (d < 0) {
                return null;
            }
            long s = clamp(starts[k] < 0 ? starts[k] + d : starts[k], d);
            long e = clamp(ends[k] < 0 ? ends[k] + d : ends[k], d);
            pads[axis] = s;
            pads[axis + r] = d - Math.max(s, e);
        }
        return c.builder().op("", "Pad", List.of(g, c.builder().constLongs(pads)));
    }

    private static long[] constant(Node n, int i) {
        return ConstantValues.longs(ConstantValues.of(n.input(i)));
    }

    private static boolean allOnes(long[] steps) {
        if (steps == null) {
            return true;
        }
        for (long s : steps) {
            if (s != 1) {
                return false;
            }
        }
        return true;
    }

    private static long clamp(long v, long d) {
        return Math.max(0, Math.min(d, v));
    }
}
