package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;
import static io.ortune.training.autodiff.GradContext.rank;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * MatMul (batched, broadcasting, 1-D operands) and Gemm (transA, transB, alpha, beta). A weight gradient of a
 * batched activation times a 2-D weight is one Gemm over the flattened batch, not a batched product then a sum.
 * With ONNX Runtime kernels, transposed products are {@code FusedMatMul}.
 */
final class LinearGrads {

    private LinearGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("MatMul", LinearGrads::matMul);
        m.put("Gemm", LinearGrads::gemm);
    }

    /** y = a @ b: a gets g @ b^T, b gets a^T @ g, each summed over broadcast batch dims. */
    static List<Value> matMul(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value a = c.input(n, 0);
        Value w = c.input(n, 1);
        int ra = rank(n.input(0));
        int rb = rank(n.input(1));
        if (ra < 1 || rb < 1) {
            throw c.unsupported(n, "operand ranks must be known (shapes " + n.input(0).shape() + " and "
                    + n.input(1).shape() + ")");
        }
        if (ra == 1 && rb == 1) {
            return grads(c.wants(n, 0) ? b.mul(g, w) : null, c.wants(n, 1) ? b.mul(g, a) : null);
        }
        Value a2 = ra == 1 ? b.unsqueeze(a, 0) : a;
        Value w2 = rb == 1 ? b.unsqueeze(w, 1) : w;
        Value g2 = ra == 1 ? b.unsqueeze(g, -2) : rb == 1 ? b.unsqueeze(g, -1) : g;
        Value ga = null;
        if (c.wants(n, 0)) {
            Value full = product(c, g2, false, w2, true, resultType(g2, dim(g2, -2), dim(w2, -2)));
            ga = c.unbroadcastAgainst(full, a2, List.of(w2.shape()), 2);
            ga = ra == 1 ? b.squeeze(ga, 0) : ga;
        }
        Value gw = null;
        if (c.wants(n, 1)) {
            gw = rb == 2 && ra > 2 ? flattenedWeightGrad(c, a, w, g) : c.unbroadcastAgainst(
                    product(c, a2, true, g2, false, resultType(g2, dim(a2, -1), dim(g2, -1))), w2,
                    List.of(a2.shape()), 2);
            gw = rb == 1 ? b.squeeze(gw, 1) : gw;
        }
        return grads(ga, gw);
    }

    /** op(x) @ op(y) where op transposes the last two dims when asked; {@code type} types a fused result. */
    private static Value product(GradContext c, Value x, boolean tx, Value y, boolean ty, ValueType type) {
        GraphBuilder b = c.builder();
        if (c.fused() && (tx || ty)) {
            return c.ortKernel("FusedMatMul", List.of(x, y), type, new Attribute.IntAttr("transA", tx ? 1 : 0),
                    new Attribute.IntAttr("transB", ty ? 1 : 0));
        }
        return b.matMul(tx ? transposeLast2(b, x) : x, ty ? transposeLast2(b, y) : y);
    }

    /** Dim {@code i} (negative from the end) of {@code v}'s shape, or unknown. */
    private static Dim dim(Value v, int i) {
        Shape s = v.shape();
        if (s == null || !s.hasRank() || s.rank() < -i) {
            return Dim.UNKNOWN;
        }
        return s.dim(s.rank() + i);
    }

    /** The batch dims of the output gradient (already broadcast) followed by [m, n]. */
    private static ValueType resultType(Value outGrad, Dim m, Dim n) {
        Shape s = outGrad.shape();
        if (s == null || !s.hasRank() || outGrad.dtype() == null) {
            return null;
        }
        List<Dim> dims = new ArrayList<>(s.dims().subList(0, s.rank() - 2));
        dims.add(m);
        dims.add(n);
        return ValueType.tensor(outGrad.dtype(), new Shape(dims));
    }

    private static Value transposeLast2(GraphBuilder b, Value x) {
        int r = rank(x);
        long[] perm = new long[r];
        for (int i = 0; i < r; i++) {
            perm[i] = i;
        }
        perm[r - 2] = r - 1;
        perm[r - 1] = r - 2;
        return b.transpose(x, perm);
    }

    /** a [..., k] @ w [k, n]: dW = reshape(a, [-1, k])^T @ reshape(g, [-1, n]), one Gemm. */
    private static Value flattenedWeightGrad(GradContext c, Value a, Value w, Value g) {
        GraphBuilder b = c.builder();
        long[] wd = GradContext.staticDims(w);
        Value kShape;
        Value nShape;
        if (wd != null) {
            kShape = b.constLongs(-1, wd[0]);
            nShape = b.constLongs(-1, wd[1]);
        } else {
            Value minusOne = b.constLongs(-1);
            kShape = b.concat(0, minusOne, b.shape(w, 0, 1));
            nShape = b.concat(0, minusOne, b.shape(w, 1, 2));
        }
        return b.gemm(b.reshape(a, kShape), b.reshape(g, nShape), null, 1f, 0f, true, false);
    }

    /** y = alpha * op(A) @ op(B) + beta * C. */
    static List<Value> gemm(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        GraphBuilder b = c.builder();
        Value a = c.input(n, 0);
        Value w = c.input(n, 1);
        float alpha = n.floatAttr("alpha", 1f);
        float beta = n.floatAttr("beta", 1f);
        boolean ta = n.intAttr("transA", 0) != 0;
        boolean tb = n.intAttr("transB", 0) != 0;
        Value ga = null;
        if (c.wants(n, 0)) {
            ga = ta ? b.gemm(w, g, null, alpha, 0f, tb, true) : b.gemm(g, w, null, alpha, 0f, false, !tb);
        }
        Value gw = null;
        if (c.wants(n, 1)) {
            gw = tb ? b.gemm(g, a, null, alpha, 0f, true, ta) : b.gemm(a, g, null, alpha, 0f, !ta, false);
        }
        Value gc = null;
        if (c.wants(n, 2)) {
            Value scaled = beta == 1f ? g : b.mul(g, c.scalar(g, beta));
            gc = c.unbroadcastAgainst(scaled, c.input(n, 2), List.of(n.output(0).shape()), 0);
        }
        return grads(ga, gw, gc);
    }
}
