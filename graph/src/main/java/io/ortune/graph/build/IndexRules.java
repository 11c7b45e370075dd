package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.INDEX;
import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Schema rules for Concat, Split, Gather, GatherElements and ScatterND (Slice lives in {@link SliceRule}). */
final class IndexRules {

    private IndexRules() {
    }

    static void register(Map<String, OpRule> rules) {
        rules.put("Concat", IndexRules::concat);
        rules.put("Split", IndexRules::split);
        rules.put("Slice", SliceRule::apply);
        rules.put("Gather", IndexRules::gather);
        rules.put("GatherElements", IndexRules::gatherElements);
        rules.put("ScatterND", IndexRules::scatterNd);
    }

    private static List<ValueType> concat(OpContext c) {
        c.arity(1, Integer.MAX_VALUE);
        int[] all = new int[c.inputCount()];
        int rank = -1;
        int rankFrom = -1;
        for (int i = 0; i < all.length; i++) {
            all[i] = i;
            if (!c.present(i)) {
                throw c.fail("input " + i + " is missing");
            }
            int r = c.rank(i);
            if (r >= 0 && rank >= 0 && r != rank) {
                throw c.fail("inputs have different ranks: " + c.shape(rankFrom) + " (input " + rankFrom + ") vs "
                        + c.shape(i) + " (input " + i + ")");
            }
            if (r >= 0 && rank < 0) {
                rank = r;
                rankFrom = i;
            }
        }
        DataType t = c.sameDtype(all);
        long axisAttr = c.requiredIntAttr("axis");
        if (rank < 0) {
            return c.result(tensor(t, Shape.UNKNOWN_RANK));
        }
        int axis = c.axis(axisAttr, rank, "axis");
        List<Dim> out = new ArrayList<>(c.shape(rankFrom).dims());
        List<Dim> along = new ArrayList<>();
        for (int i : all) {
            Shape s = c.shape(i);
            if (!s.hasRank()) {
                along.add(Dim.UNKNOWN);
                continue;
            }
            for (int d = 0; d < rank; d++) {
                if (d == axis) {
                    continue;
                }
                if (Dims.conflict(out.get(d), s.dim(d))) {
                    throw c.fail("input " + i + " has shape " + s + ", which differs from " + new Shape(out)
                            + " on axis " + d + " (only axis " + axis + " may differ)");
                }
                out.set(d, Dims.merge(out.get(d), s.dim(d)));
            }
            along.add(s.dim(axis));
        }
        out.set(axis, Dims.sum(along));
        return c.result(tensor(t, new Shape(out)));
    }

    private static List<ValueType> split(OpContext c) {
        c.arity(1, 2);
        int n = c.outputCount();
        Shape in = c.shape(0);
        ValueType unknown = tensor(c.dtype(0), in.hasRank() ? Dims.unknownDims(in.rank()) : in);
        long[] sizes = c.present(1) ? c.constLongs(1) : c.intsAttr("split");
        if (c.present(1) && sizes == null || !in.hasRank()) {
            return c.result(fill(n, unknown));
        }
        int axis = c.axis(c.intAttr("axis", 0), in.rank(), "axis");
        Dim total = in.dim(axis);
        if (sizes == null) {
            long parts = c.intAttr("num_outputs", n);
            if (parts != n) {
                throw c.fail("num_outputs is " + parts + " but the node has " + n + " outputs");
            }
            if (!total.isKnown()) {
                return c.result(fill(n, unknown));
            }
            sizes = evenSplit(Dims.known(total), n);
        }
        if (sizes.length != n) {
            throw c.fail("split sizes " + Arrays.toString(sizes) + " give " + sizes.length
                    + " parts but the node has " + n + " outputs");
        }
        long sum = Arrays.stream(sizes).sum();
        if (total.isKnown() && sum != Dims.known(total)) {
            throw c.fail("split sizes " + Arrays.toString(sizes) + " sum to " + sum + ", but axis " + axis + " of "
                    + in + " has size " + total);
        }
        ValueType[] out = new ValueType[n];
        for (int k = 0; k < n; k++) {
            List<Dim> dims = new ArrayList<>(in.dims());
            dims.set(axis, Dim.of(sizes[k]));
            out[k] = tensor(c.dtype(0), new Shape(dims));
        }
        return c.result(out);
    }

    /** Equal parts, the last smaller when the size does not divide (opset 18 semantics). */
    static long[] evenSplit(long total, int parts) {
        long chunk = (total + parts - 1) / parts;
        long[] sizes = new long[parts];
        long left = total;
        for (int k = 0; k < parts; k++) {
            sizes[k] = Math.min(chunk, Math.max(0, left));
            left -= sizes[k];
        }
        return sizes;
    }

    private static ValueType[] fill(int n, ValueType t) {
        ValueType[] out = new ValueType[n];
        Arrays.fill(out, t);
        return out;
    }

    private static List<ValueType> gather(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(1, INDEX, "int32 or int64");
        Shape data = c.shape(0);
        Shape idx = c.shape(1);
        if (!data.hasRank()) {
            return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
        }
        if (data.rank() == 0) {
            throw c.fail("input 0 (data) must have rank >= 1, is a scalar");
        }
        int axis = c.axis(c.intAttr("axis", 0), data.rank(), "axis");
        checkIndexBounds(c, data.dim(axis), axis);
        if (!idx.hasRank()) {
            return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
        }
        List<Dim> out = new ArrayList<>(data.dims().subList(0, axis));
        out.addAll(idx.dims());
        out.addAll(data.dims().subList(axis + 1, data.rank()));
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }

    private static void checkIndexBounds(OpContext c, Dim size, int axis) {
        long[] indices = c.constLongs(1);
        if (indices == null || !size.isKnown()) {
            return;
        }
        long s = Dims.known(size);
        for (long i : indices) {
            if (i < -s || i >= s) {
                throw c.fail("index " + i + " is out of range for axis " + axis + " of size " + s);
            }
        }
    }

    private static List<ValueType> gatherElements(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(1, INDEX, "int32 or int64");
        if (c.rank(0) >= 0 && c.rank(1) >= 0 && c.rank(0) != c.rank(1)) {
            throw c.fail("data " + c.shape(0) + " and indices " + c.shape(1) + " must have the same rank");
        }
        if (c.rank(0) >= 0) {
            c.axis(c.intAttr("axis", 0), c.rank(0), "axis");
        }
        return c.result(tensor(c.dtype(0), c.shape(1)));
    }

    private static List<ValueType> scatterNd(OpContext c) {
        c.arity(3, 3);
        c.requireDtype(1, DataType.INT64);
        if (c.dtype(0) != null && c.dtype(2) != null && c.dtype(0) != c.dtype(2)) {
            throw c.fail("input dtypes differ: data is " + c.dtype(0).onnxName() + ", updates is "
                    + c.dtype(2).onnxName());
        }
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }
}
