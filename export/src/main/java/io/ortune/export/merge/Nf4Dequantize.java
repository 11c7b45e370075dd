package io.ortune.export.merge;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.training.qlora.DoubleQuant;
import io.ortune.training.qlora.Nf4;
import io.ortune.training.qlora.Nf4QuantizePass;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * QLoRA's base made float again: every {@code com.microsoft.MatMulBnb4} over NF4 codes becomes {@code MatMul(x, W)}
 * with W the dequantized weight (exactly the values the adapter was trained against, {@code codebook[code]·absmax},
 * double-quantized absmax dequantized first), under the original weight's name and in its original layout: {@code
 * [out, in]} read through a Transpose for the weights {@value Nf4QuantizePass#OUT_IN_METADATA} lists (PyTorch
 * {@code nn.Linear}), else {@code [in, out]} (also for files quantized before that record existed). The NF4
 * initializers and records are removed; adapters are kept, ready to fold.
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
        Set<String> outIn = new HashSet<>(List.of(
                m.metadataProps().getOrDefault(Nf4QuantizePass.OUT_IN_METADATA, "").split(",")));
        for (Node n : nodes) {
            replace(g, n, outIn);
        }
        DeadCodeElimination.run(g);
        TopologicalSort.sort(g);
        m.metadataProps().remove(Nf4QuantizePass.METADATA);
        m.metadataProps().remove(Nf4QuantizePass.OUT_IN_METADATA);
        return m;
    }

    private static boolean isBnb4(Node n) {
        return "MatMulBnb4".equals(n.opType()) && Nf4QuantizePass.MS_DOMAIN.equals(n.domain());
    }

    private static void replace(Graph g, Node n, Set<String> outIn) {
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
        Value old = n.output();
        String name = n.name();
        Value rhs;
        if (outIn.contains(weight)) {
            Value stored = g.addInitializer(Tensor.ofFloats(weight, new long[] {cols, k}, w));   // [out, in] as is
            Node t = g.addNode(name + "/dequantized_transpose", "", "Transpose", List.of(stored),
                    List.of(weight + ".transposed"), List.of(new Attribute.IntsAttr("perm", List.of(1L, 0L))));
            t.output().setType(ValueType.tensor(DataType.FLOAT, Shape.ofLongs(k, cols)));
            rhs = t.output();
        } else {
            float[] inOut = new float[w.length];
            for (int o = 0; o < cols; o++) {
                for (int i = 0; i < k; i++) {
                    inOut[i * cols + o] = w[o * k + i];
                }
            }
            rhs = g.addInitializer(Tensor.ofFloats(weight, new long[] {k, cols}, inOut));
        }
        Node mm = g.addNode(name + "/dequantized", "", "MatMul", List.of(n.input(0), rhs),
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
