package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.INDEX;
import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.analysis.SliceMath;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Slice (inputs {@code data, starts, ends, axes?, steps?}; the attribute form of opset &lt; 10 also read): with
 * constant arguments each sliced dim of known size gets its exact length; a symbolic dim survives a full slice.
 */
final class SliceRule {

    private SliceRule() {
    }

    static List<ValueType> apply(OpContext c) {
        boolean attrForm = c.inputCount() == 1;
        c.arity(attrForm ? 1 : 3, 5);
        for (int i = 1; i < c.inputCount(); i++) {
            c.requireDtype(i, INDEX, "int32 or int64");
        }
        Shape in = c.shape(0);
        long[] starts = attrForm ? c.intsAttr("starts") : c.constLongs(1);
        long[] ends = attrForm ? c.intsAttr("ends") : c.constLongs(2);
        long[] axes = attrForm ? c.intsAttr("axes") : c.present(3) ? c.constLongs(3) : null;
        boolean axesUnknown = !attrForm && c.present(3) && axes == null;
        long[] steps = c.present(4) ? c.constLongs(4) : null;
        boolean stepsUnknown = c.present(4) && steps == null;
        if (!in.hasRank()) {
            return c.result(tensor(c.dtype(0), in));
        }
        if (starts == null || ends == null || axesUnknown) {
            return c.result(tensor(c.dtype(0), partlyKnown(in, axes, axesUnknown)));
        }
        if (starts.length != ends.length) {
            throw c.fail("starts " + Arrays.toString(starts) + " and ends " + Arrays.toString(ends)
                    + " have different lengths");
        }
        if (axes == null) {
            axes = new long[starts.length];
            for (int i = 0; i < axes.length; i++) {
                axes[i] = i;
            }
        }
        if (axes.length != starts.length || steps != null && steps.length != starts.length) {
            throw c.fail("starts, ends, axes and steps must have the same length, have " + starts.length + ", "
                    + ends.length + ", " + axes.length + (steps == null ? "" : ", " + steps.length));
        }
        int[] ax = c.axes(axes, in.rank(), "axis");
        List<Dim> out = new ArrayList<>(in.dims());
        for (int k = 0; k < ax.length; k++) {
            long step = steps == null ? 1 : steps[k];
            if (step == 0) {
                throw c.fail("step for axis " + ax[k] + " is 0");
            }
            out.set(ax[k], stepsUnknown ? Dim.UNKNOWN : sliced(in.dim(ax[k]), starts[k], ends[k], step));
        }
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }

    private static Shape partlyKnown(Shape in, long[] axes, boolean axesUnknown) {
        if (axes == null || axesUnknown) {
            return Dims.unknownDims(in.rank());
        }
        List<Dim> out = new ArrayList<>(in.dims());
        for (long a : axes) {
            int i = (int) (a < 0 ? a + in.rank() : a);
            if (i >= 0 && i < out.size()) {
                out.set(i, Dim.UNKNOWN);
            }
        }
        return new Shape(out);
    }

    /** The length of {@code dim[start:end:step]} under ONNX clamping rules. */
    static Dim sliced(Dim dim, long start, long end, long step) {
        if (!dim.isKnown()) {
            boolean whole = step == 1 && start == 0 && end >= Integer.MAX_VALUE;
            return whole ? dim : Dim.UNKNOWN;
        }
        return Dim.of(SliceMath.length(Dims.known(dim), start, end, step));
    }
}
