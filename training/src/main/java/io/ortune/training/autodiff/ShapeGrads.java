package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;
import static io.ortune.training.autodiff.GradContext.rank;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ops that move or relabel elements without arithmetic: Reshape, Flatten, Squeeze, Unsqueeze, Transpose, Expand,
 * Identity, Cast, Trilu. Their shape and index inputs get no gradient.
 */
final class ShapeGrads {

    private ShapeGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Reshape", ShapeGrads::reshapeBack);
        m.put("Flatten", ShapeGrads::reshapeBack);
        m.put("Squeeze", ShapeGrads::reshapeBack);
        m.put("Unsqueeze", ShapeGrads::reshapeBack);
        m.put("Transpose", ShapeGrads::transpose);
        m.put("Expand", ShapeGrads::expand);
        m.put("Identity", ShapeGrads::identity);
        m.put("Cast", ShapeGrads::cast);
        m.put("Trilu", ShapeGrads::trilu);
    }

    /** Reshape-like ops: g reshaped to the input's shape. */
    static List<Value> reshapeBack(GradContext c, Node n, List<Value> gy) {
        return grads(c.reshapeLike(gy.get(0), c.input(n, 0)));
    }

    /** y = transpose(x, perm): g transposed by the inverse permutation. */
    static List<Value> transpose(GradContext c, Node n, List<Value> gy) {
        long[] perm = n.intsAttr("perm");
        if (perm == null) {
            int r = rank(n.input(0));
            if (r < 0) {
                throw c.unsupported(n, "without 'perm' the input rank must be known");
            }
            perm = new long[r];
            for (int i = 0; i < r; i++) {
                perm[i] = r - 1 - i;
            }
        }
        long[] inverse = new long[perm.length];
        for (int i = 0; i < perm.length; i++) {
            inverse[(int) perm[i]] = i;
        }
        return grads(c.builder().transpose(gy.get(0), inverse));
    }

    /** y = expand(x, shape): g summed back to x's shape. */
    static List<Value> expand(GradContext c, Node n, List<Value> gy) {
        long[] target = ConstantValues.longs(ConstantValues.of(n.input(1)));
        List<Shape> others = target == null ? null : List.of(Shape.ofLongs(target));
        return grads(c.unbroadcastAgainst(gy.get(0), c.input(n, 0), others, 0));
    }

    static List<Value> identity(GradContext c, Node n, List<Value> gy) {
        return grads(gy.get(0));
    }

    /** y = cast(x): g cast back to x's type (nothing for an integer x). */
    static List<Value> cast(GradContext c, Node n, List<Value> gy) {
        DataType from = n.input(0).dtype();
        if (from == null || !from.isFloatingPoint()) {
            return null;
        }
        Value g = gy.get(0);
        return grads(from == g.dtype() ? g : c.builder().cast(g, from));
    }

    /** y = triangle of x: the same triangle of g. */
    static List<Value> trilu(GradContext c, Node n, List<Value> gy) {
        List<Value> in = new ArrayList<>();
        in.add(gy.get(0));
        if (n.input(1) != null) {
            in.add(c.input(n, 1));
        }
        GraphBuilder b = c.builder();
        long upper = n.intAttr("upper", 1);
        return grads(b.op("", "Trilu", in, new Attribute.IntAttr("upper", upper)));
    }
}
