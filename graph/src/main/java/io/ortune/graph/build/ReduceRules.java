package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.NUMERIC;
import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Schema rules for the Reduce* family (axes as attribute before opset 18/13, as input after). */
final class ReduceRules {

    private ReduceRules() {
    }

    static void register(Map<String, OpRule> rules) {
        for (String op : List.of("ReduceMean", "ReduceSum", "ReduceMax", "ReduceMin", "ReduceProd",
                "ReduceSumSquare", "ReduceL2")) {
            rules.put(op, ReduceRules::reduce);
        }
    }

    private static List<ValueType> reduce(OpContext c) {
        c.arity(1, 2);
        c.requireDtype(0, NUMERIC, "a numeric type");
        Shape in = c.shape(0);
        boolean keep = c.intAttr("keepdims", 1) != 0;
        boolean noop = c.intAttr("noop_with_empty_axes", 0) != 0;
        long[] axes = ShapeRules.axesOf(c, 1, new long[0]);
        if (!in.hasRank()) {
            return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
        }
        if (axes == null) {
            return c.result(tensor(c.dtype(0), keep ? Dims.unknownDims(in.rank()) : Shape.UNKNOWN_RANK));
        }
        if (axes.length == 0 && noop) {
            return c.result(tensor(c.dtype(0), in));
        }
        boolean[] reduced = new boolean[in.rank()];
        if (axes.length == 0) {
            java.util.Arrays.fill(reduced, true);
        }
        for (int a : c.axes(axes, in.rank(), "axis")) {
            reduced[a] = true;
        }
        List<Dim> out = new ArrayList<>();
        for (int i = 0; i < in.rank(); i++) {
            if (!reduced[i]) {
                out.add(in.dim(i));
            } else if (keep) {
                out.add(Dim.of(1));
            }
        }
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }
}
