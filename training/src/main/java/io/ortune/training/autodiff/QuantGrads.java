package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.training.qlora.Nf4Graph;

import java.util.List;
import java.util.Map;

/**
 * Quantized linear ops. {@code com.microsoft::MatMulBnb4} (Y = A · deq(W)ᵀ, W NF4 [N, K]): A gets dY · deq(W),
 * with deq(W) rebuilt from the same codes and scales in standard ops ({@link Nf4Graph}), so the gradient uses exactly
 * the forward's weights (the CPU kernel's {@code transB=0} form computes wrong values and is not used). The codes
 * and scales are frozen: they get no gradient.
 */
final class QuantGrads {

    private QuantGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put(GradContext.MS_DOMAIN + "::MatMulBnb4", QuantGrads::matMulBnb4);
    }

    static List<Value> matMulBnb4(GradContext c, Node n, List<Value> gy) {
        if (c.wants(n, 1) || c.wants(n, 2)) {
            throw c.unsupported(n, "NF4 codes and scales are frozen; they cannot be trained");
        }
        if (!c.wants(n, 0)) {
            return GradContext.grads(null, null, null);
        }
        long k = n.intAttr("K", -1);
        long nOut = n.intAttr("N", -1);
        long block = n.intAttr("block_size", -1);
        if (k < 1 || nOut < 1 || block < 1 || n.intAttr("transB", 1) != 1 || n.intAttr("quant_type", -1) != 1) {
            throw c.unsupported(n, "needs NF4 (quant_type 1), transB 1 and positive K, N, block_size");
        }
        GraphBuilder b = c.builder();
        Value w = Nf4Graph.dequantizeWeight(b, c.input(n, 1), c.input(n, 2), nOut, k, block);
        Value ga = b.matMul(gy.get(0), w);
        return GradContext.grads(ga, null, null);
    }
}
