package io.ortune.export.merge;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.training.qlora.DoubleQuant;
import io.ortune.training.qlora.Nf4;
import io.ortune.training.qlora.Nf4QuantizePass;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * QLoRA's base made float again: every {@code com.microsoft.MatMulBnb4} over NF4 codes becomes {@code MatMul(x, W)}
 * with W the dequantized weight (exactly the values the adapter was trained against, {@code codebook[code]·absmax},
 * double-quantized absmax dequantized first), stored {@code [in, out]} under the original weight's name. The NF4
 * initializers and the {@value Nf4QuantizePass#METADATA} record are removed; adapters are kept, ready to fold.
 */
final class Nf4Dequantize {

    private static final String SUFFIX = ".nf4";

    private Nf4Dequantize() {
    }

    static boolean isNf4(Model m) {
        return m.graph().nodes().stream().anyMatch(Nf4Dequantize::isBnb4);
    }

    static Model dequantize(Model model) {
        Model m = GraphCopier.copy(model);
        Graph g = m.graph();
        List<Node> nodes = new ArrayList<>(g.nodes().stream().filter(Nf4Dequantize::isBnb4).toList());
        if (nodes.isEmpty()) {
            throw new MergeException("model '" + g.name() + "' has no MatMulBnb4 (NF4) layer to dequantize");
        }
        for (Node n : nodes) {
            replace(g, n);
        }
        DeadCodeElimination.run(g);
        TopologicalSort.sort(g);
        m.metadataProps().remove(Nf4QuantizePass.METADATA);
        return m;
    }

    private static boolean isBnb4(Node n) {
        return "MatMulBnb4".equals(n.opType()) && Nf4QuantizePass.MS_DOMAIN.equals(n.domain());
    }

    private static void replace(Graph g, Node n) {
        int k = Math.toIntExact(n.intAttr("K", -1));
        int cols = Math.toIntExact(n.intAttr("N", -1));
        int block = Math.toIntExact(n.intAttr("block_size", Nf4.DEFAULT_BLOCK_SIZE));
        Value packed = n.input(1);
        if (packed.constant() == null || !packed.name().endsWith(SUFFIX) || k <= 0 || cols <= 0) {
            throw new MergeException("MatMulBnb4 node '" + n.name() + "' does not read NF4 codes '<weight>" + SUFFIX
                    + "' with K and N set, as Nf4QuantizePass writes; cannot dequantize it");
        }
        if (n.intAttr("quant_type", Nf4.QUANT_TYPE) != Nf4.QUANT_TYPE || n.intAttr("transB", 1) != 1) {
            throw new MergeException("MatMulBnb4 node '" + n.name() + "' is not NF4 with transB=1");
        }
        String weight = packed.name().substring(0, packed.name().length() - SUFFIX.length());
        float[] absmax = absmax(g, n, weight);
        float[] w = Nf4.dequantize(new Nf4.Quantized(bytes(packed.constant()), absmax, cols, k, block));
        float[] inOut = new float[w.length];
        for (int o = 0; o < cols; o++) {
            for (int i = 0; i < k; i++) {
                inOut[i * cols + o] = w[o * k + i];
            }
        }
        Value wt = g.addInitializer(Tensor.ofFloats(weight, new long[] {k, cols}, inOut));
        Value old = n.output();
        String name = n.name();
        Node mm = g.addNode(name + "/dequantized", "", "MatMul", List.of(n.input(0), wt),
                List.of(old.name() + ".float"), List.of());
        mm.output().setType(old.type());
        int index = g.outputs().indexOf(old);
        old.replaceAllUsesWith(mm.output());
        if (index >= 0) {
            String outName = old.name();
            old.setName(outName + ".nf4_replaced");
            mm.output().setName(outName);
        }
        g.removeNode(n);
        mm.setName(name);
    }

    private static float[] absmax(Graph g, Node n, String weight) {
        Value a = n.input(2);
        if (a.constant() != null) {
            return a.constant().toFloats();
        }
        Value codes = g.initializer(weight + ".absmax_codes");
        Value scales = g.initializer(weight + ".absmax_scales");
        Value offset = g.initializer(weight + ".absmax_offset");
        if (codes == null || scales == null || offset == null) {
            throw new MergeException("MatMulBnb4 node '" + n.name() + "': absmax is neither an initializer nor "
                    + "double-quantized as '" + weight + ".absmax_codes/_scales/_offset'");
        }
        return DoubleQuant.dequantize(new DoubleQuant.Quantized(bytes(codes.constant()), scales.constant().toFloats(),
                offset.constant().toFloats()[0]));
    }

    private static byte[] bytes(Tensor t) {
        ByteBuffer b = t.bytes().duplicate();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
