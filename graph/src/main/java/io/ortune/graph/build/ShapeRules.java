package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Schema rules for ops that move or describe shapes: Transpose, (Un)Squeeze, Expand, Shape, Size, ... */
final class ShapeRules {

    private ShapeRules() {
    }

    static void register(Map<String, OpRule> rules) {
        rules.put("Reshape", ReshapeRule::apply);
        rules.put("Transpose", ShapeRules::transpose);
        rules.put("Squeeze", ShapeRules::squeeze);
        rules.put("Unsqueeze", ShapeRules::unsqueeze);
        rules.put("Expand", ShapeRules::expand);
        rules.put("Shape", ShapeRules::shape);
        rules.put("Size", ShapeRules::size);
        rules.put("ConstantOfShape", ShapeRules::constantOfShape);
        rules.put("Range", ShapeRules::range);
        rules.put("Constant", ShapeRules::constant);
    }

    private static List<ValueType> transpose(OpContext c) {
        c.arity(1, 1);
        Shape in = c.shape(0);
        long[] perm = c.intsAttr("perm");
        if (!in.hasRank()) {
            return c.result(tensor(c.dtype(0), perm == null ? Shape.UNKNOWN_RANK : Dims.unknownDims(perm.length)));
        }
        int r = in.rank();
        if (perm == null) {
            perm = new long[r];
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        }
        boolean[] seen = new boolean[r];
        boolean ok = perm.length == r;
        for (int i = 0; ok && i < r; i++) {
            ok = perm[i] >= 0 && perm[i] < r && !seen[(int) perm[i]];
            if (ok) {
                seen[(int) perm[i]] = true;
            }
        }
        if (!ok) {
            throw c.fail("perm " + Arrays.toString(perm) + " is not a permutation of 0.." + (r - 1) + " (input "
                    + in + ")");
        }
        List<Dim> out = new ArrayList<>(r);
        for (long p : perm) {
            out.add(in.dim((int) p));
        }
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }

    /** Axes from input 1 (opset 13+) or the {@code axes} attribute; {@code null} when given but not constant. */
    static long[] axesOf(OpContext c, int inputIndex, long[] whenAbsent) {
        if (c.present(inputIndex)) {
            c.requireDtype(inputIndex, DataType.INT64);
            return c.constLongs(inputIndex);
        }
        long[] attr = c.intsAttr("axes");
        return attr != null ? attr : whenAbsent;
    }

    private static List<ValueType> squeeze(OpContext c) {
        c.arity(1, 2);
        Shape in = c.shape(0);
        long[] axes = axesOf(c, 1, new long[0]);
        if (axes == null || !in.hasRank()) {
            return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
        }
        List<Dim> out = new ArrayList<>();
        if (axes.length == 0) {
            for (Dim d : in.dims()) {
                if (!d.isKnown()) {
                    return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
                }
                if (!Dims.isOne(d)) {
                    out.add(d);
                }
            }
            return c.result(tensor(c.dtype(0), new Shape(out)));
        }
        int[] ax = c.axes(axes, in.rank(), "axis");
        boolean[] drop = new boolean[in.rank()];
        for (int a : ax) {
            if (in.dim(a).isKnown() && !Dims.isOne(in.dim(a))) {
                throw c.fail("cannot squeeze axis " + a + " of " + in + ": its size is " + in.dim(a) + ", not 1");
            }
            drop[a] = true;
        }
        for (int i = 0; i < in.rank(); i++) {
            if (!drop[i]) {
                out.add(in.dim(i));
            }
        }
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }

    private static List<ValueType> unsqueeze(OpContext c) {
        c.arity(1, 2);
        Shape in = c.shape(0);
        long[] axes = axesOf(c, 1, null);
        if (axes == null && !c.present(1)) {
            throw c.fail("axes are required (input 1, or the 'axes' attribute before opset 13)");
        }
        if (axes == null || !in.hasRank()) {
            return c.result(tensor(c.dtype(0), Shape.UNKNOWN_RANK));
        }
        int outRank = in.rank() + axes.length;
        boolean[] inserted = new boolean[outRank];
        for (int a : c.axes(axes, outRank, "axis")) {
            inserted[a] = true;
        }
        List<Dim> out = new ArrayList<>(outRank);
        int next = 0;
        for (int i = 0; i < outRank; i++) {
            out.add(inserted[i] ? Dim.of(1) : in.dim(next++));
        }
        return c.result(tensor(c.dtype(0), new Shape(out)));
    }

    private static List<ValueType> expand(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(1, DataType.INT64);
        long[] target = c.constLongs(1);
        if (target == null) {
            Shape len = Dims.ofLength(c.shape(1));
            boolean rankKnown = len.hasRank() && c.rank(0) >= 0;
            return c.result(tensor(c.dtype(0),
                    rankKnown ? Dims.unknownDims(Math.max(len.rank(), c.rank(0))) : Shape.UNKNOWN_RANK));
        }
        Shape out = Dims.broadcast(c.shape(0), Shape.ofLongs(target));
        if (out == null) {
            throw c.fail("input shape " + c.shape(0) + " cannot be expanded to " + Arrays.toString(target));
        }
        return c.result(tensor(c.dtype(0), out));
    }

    private static List<ValueType> shape(OpContext c) {
        c.arity(1, 1);
        Shape in = c.shape(0);
        if (!in.hasRank()) {
            return c.result(tensor(DataType.INT64, Shape.of(Dim.UNKNOWN)));
        }
        int r = in.rank();
        long start = clampAxis(c.intAttr("start", 0), r);
        long end = clampAxis(c.intAttr("end", r), r);
        return c.result(tensor(DataType.INT64, Shape.ofLongs(Math.max(0, end - start))));
    }

    private static long clampAxis(long a, int rank) {
        long v = a < 0 ? a + rank : a;
        return Math.max(0, Math.min(rank, v));
    }

    private static List<ValueType> size(OpContext c) {
        c.arity(1, 1);
        return c.result(tensor(DataType.INT64, Shape.SCALAR));
    }

    private static List<ValueType> constantOfShape(OpContext c) {
        c.arity(1, 1);
        c.requireDtype(0, DataType.INT64);
        Attribute a = c.attr("value");
        DataType t = a instanceof Attribute.TensorAttr ta ? ta.value().dtype() : DataType.FLOAT;
        if (a instanceof Attribute.TensorAttr ta && ta.value().elementCount() != 1) {
            throw c.fail("attribute 'value' must hold one element, holds " + ta.value().elementCount());
        }
        long[] dims = c.constLongs(0);
        if (dims != null) {
            for (long d : dims) {
                if (d < 0) {
                    throw c.fail("shape " + Arrays.toString(dims) + " has a negative dim");
                }
            }
            return c.result(tensor(t, Shape.ofLongs(dims)));
        }
        return c.result(tensor(t, Dims.ofLength(c.shape(0))));
    }

    private static List<ValueType> range(OpContext c) {
        c.arity(3, 3);
        DataType t = c.sameDtype(0, 1, 2);
        c.requireScalar(0, "start");
        c.requireScalar(1, "limit");
        c.requireScalar(2, "delta");
        double[] s = ConstantValues.doubles(c.constant(0));
        double[] l = ConstantValues.doubles(c.constant(1));
        double[] d = ConstantValues.doubles(c.constant(2));
        if (s == null || l == null || d == null) {
            return c.result(tensor(t, Shape.of(Dim.UNKNOWN)));
        }
        if (d[0] == 0) {
            throw c.fail("delta is 0");
        }
        long n = (long) Math.max(0, Math.ceil((l[0] - s[0]) / d[0]));
        return c.result(tensor(t, Shape.ofLongs(n)));
    }

    private static List<ValueType> constant(OpContext c) {
        c.arity(0, 0);
        Attribute strings = c.attr("value_strings");
        Attribute string = c.attr("value_string");
        if (strings instanceof Attribute.StringsAttr s) {
            return c.result(tensor(DataType.STRING, Shape.ofLongs(s.values().size())));
        }
        if (string != null) {
            return c.result(tensor(DataType.STRING, Shape.SCALAR));
        }
        Tensor t = c.attr("value") instanceof Attribute.TensorAttr ta ? ta.value() : constantOfAttrs(c);
        return c.result(t == null ? null : tensor(t.dtype(), Shape.ofLongs(t.dims())));
    }

    private static Tensor constantOfAttrs(OpContext c) {
        if (c.attr("value_float") != null) {
            return Tensor.scalarFloat("", c.floatAttr("value_float", 0));
        }
        if (c.attr("value_int") != null) {
            return Tensor.scalarLong("", c.intAttr("value_int", 0));
        }
        if (c.attr("value_ints") != null) {
            return Tensor.vectorLong("", c.intsAttr("value_ints"));
        }
        if (c.attr("value_floats") instanceof Attribute.FloatsAttr f) {
            return Tensor.ofFloats("", new long[] {f.values().size()}, new float[f.values().size()]);
        }
        return null;
    }
}
