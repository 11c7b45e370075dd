package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.FLOATING;
import static io.ortune.graph.build.OpContext.NUMERIC;
import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Schema rules for MatMul, Gemm, LayerNormalization and Trilu (Einsum lives in {@link EinsumRule}). */
final class LinearRules {

    private LinearRules() {
    }

    static void register(Map<String, OpRule> rules) {
        rules.put("MatMul", LinearRules::matMul);
        rules.put("Gemm", LinearRules::gemm);
        rules.put("LayerNormalization", LinearRules::layerNorm);
        rules.put("Trilu", LinearRules::trilu);
        rules.put("Einsum", EinsumRule::apply);
    }

    private static List<ValueType> matMul(OpContext c) {
        c.arity(2, 2);
        DataType t = c.sameDtype(0, 1);
        c.requireDtype(0, NUMERIC, "a numeric type");
        return c.result(tensor(t, matMulShape(c, c.shape(0), c.shape(1))));
    }

    /** The shape of {@code a x b} with numpy matmul broadcasting; fails on a mismatch. */
    static Shape matMulShape(OpContext c, Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank()) {
            return Shape.UNKNOWN_RANK;
        }
        if (a.rank() == 0 || b.rank() == 0) {
            throw c.fail("inputs must have rank >= 1, shapes are " + a + " and " + b);
        }
        List<Dim> ad = new ArrayList<>(a.dims());
        List<Dim> bd = new ArrayList<>(b.dims());
        if (ad.size() == 1) {
            ad.add(0, Dim.of(1));
        }
        if (bd.size() == 1) {
            bd.add(Dim.of(1));
        }
        Dim k1 = ad.get(ad.size() - 1);
        Dim k2 = bd.get(bd.size() - 2);
        if (Dims.conflict(k1, k2)) {
            throw c.fail("inner dimensions differ: " + a + " x " + b + " (" + k1 + " vs " + k2 + ")");
        }
        Shape batch = Dims.broadcast(new Shape(ad.subList(0, ad.size() - 2)), new Shape(bd.subList(0, bd.size() - 2)));
        if (batch == null) {
            throw c.fail("batch dimensions do not broadcast: " + a + " x " + b);
        }
        List<Dim> out = new ArrayList<>(batch.dims());
        if (a.rank() > 1) {
            out.add(ad.get(ad.size() - 2));
        }
        if (b.rank() > 1) {
            out.add(bd.get(bd.size() - 1));
        }
        return new Shape(out);
    }

    private static List<ValueType> gemm(OpContext c) {
        c.arity(2, 3);
        DataType t = c.sameDtype(0, 1, 2);
        c.requireDtype(0, NUMERIC, "a numeric type");
        Shape a = c.shape(0);
        Shape b = c.shape(1);
        requireMatrix(c, 0, "A");
        requireMatrix(c, 1, "B");
        if (!a.hasRank() || !b.hasRank()) {
            return c.result(tensor(t, Dims.unknownDims(2)));
        }
        boolean ta = c.intAttr("transA", 0) != 0;
        boolean tb = c.intAttr("transB", 0) != 0;
        Dim m = a.dim(ta ? 1 : 0);
        Dim k1 = a.dim(ta ? 0 : 1);
        Dim k2 = b.dim(tb ? 1 : 0);
        Dim n = b.dim(tb ? 0 : 1);
        if (Dims.conflict(k1, k2)) {
            throw c.fail("inner dimensions differ: A " + a + " (transA=" + (ta ? 1 : 0) + ") x B " + b + " (transB="
                    + (tb ? 1 : 0) + "): " + k1 + " vs " + k2);
        }
        Shape out = Shape.of(m, n);
        if (c.present(2) && Dims.broadcast(c.shape(2), out) == null) {
            throw c.fail("input 2 (C) of shape " + c.shape(2) + " does not broadcast to the result " + out);
        }
        return c.result(tensor(t, out));
    }

    private static void requireMatrix(OpContext c, int i, String what) {
        if (c.rank(i) >= 0 && c.rank(i) != 2) {
            throw c.fail(c.describe(i) + " (" + what + ") must be 2-D, has shape " + c.shape(i));
        }
    }

    private static List<ValueType> layerNorm(OpContext c) {
        c.arity(2, 3);
        c.outputs(1, 3);
        DataType t = c.sameDtype(0, 1, 2);
        c.requireDtype(0, FLOATING, "a floating-point type");
        Shape x = c.shape(0);
        long axis = c.intAttr("axis", -1);
        DataType stash = DataType.fromOnnx((int) c.intAttr("stash_type", 1));
        if (!x.hasRank()) {
            return c.result(tensor(t, x), tensor(stash, x), tensor(stash, x));
        }
        int ax = c.axis(axis, x.rank(), "axis");
        Shape scale = c.shape(1);
        if (scale.hasRank() && scale.rank() > x.rank() - ax) {
            throw c.fail("input 1 (Scale) has shape " + scale + ", which does not broadcast to the normalized dims "
                    + new Shape(x.dims().subList(ax, x.rank())) + " of X " + x);
        }
        List<Dim> stats = new ArrayList<>(x.dims().subList(0, ax));
        while (stats.size() < x.rank()) {
            stats.add(Dim.of(1));
        }
        Shape s = new Shape(stats);
        return c.result(tensor(t, x), tensor(stash, s), tensor(stash, s));
    }

    private static List<ValueType> trilu(OpContext c) {
        c.arity(1, 2);
        if (c.rank(0) >= 0 && c.rank(0) < 2) {
            throw c.fail("input 0 must have rank >= 2, has shape " + c.shape(0));
        }
        c.requireDtype(1, DataType.INT64);
        if (c.present(1)) {
            c.requireScalar(1, "k");
        }
        return c.result(tensor(c.dtype(0), c.shape(0)));
    }
}
