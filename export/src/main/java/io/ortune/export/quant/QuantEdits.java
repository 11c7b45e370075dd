package io.ortune.export.quant;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.peft.LinearSite;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Small graph edits the quantization passes share: fresh names, new initializers, swapping a node. */
final class QuantEdits {

    private final Graph g;
    private final Set<String> taken = new HashSet<>();

    QuantEdits(Graph g) {
        this.g = g;
        g.inputs().forEach(v -> taken.add(v.name()));
        taken.addAll(g.initializers().keySet());
        for (Node n : g.nodes()) {
            taken.add(n.name());
            n.outputs().forEach(v -> taken.add(v.name()));
        }
    }

    /** {@code base}, or {@code base_2}, ... when taken. */
    String fresh(String base) {
        String name = base;
        for (int i = 2; taken.contains(name); i++) {
            name = base + "_" + i;
        }
        taken.add(name);
        return name;
    }

    Value initializer(String base, DataType t, long[] dims, byte[] littleEndian) {
        return g.addInitializer(Tensor.ofBytes(fresh(base), t, dims, littleEndian));
    }

    Value floats(String base, long[] dims, float... v) {
        return g.addInitializer(Tensor.ofFloats(fresh(base), dims, v));
    }

    /** A one-output node whose output has {@code type}. */
    Value node(String op, String domain, List<Value> inputs, String outBase, DataType outType, Shape shape,
               Attribute... attrs) {
        Node n = g.addNode(fresh(outBase + "_" + op), domain, op, inputs, List.of(fresh(outBase)), List.of(attrs));
        Value out = n.output();
        out.setType(new ValueType.TensorType(outType, shape == null ? Shape.UNKNOWN_RANK : shape));
        return out;
    }

    /** Makes the readers of {@code old}'s output read {@code replacement}, takes its name, removes {@code old}. */
    void replace(Node old, Value replacement) {
        Value out = old.output();
        String name = out.name();
        out.replaceAllUsesWith(replacement);
        g.removeNode(old);
        replacement.setName(name);
        if (out.type() != null) {
            replacement.setType(out.type());
        }
    }

    /** Removes the site's Transpose and weight initializer when nothing reads them any more. */
    void dropUnused(LinearSite site) {
        if (site.transpose() != null && site.transpose().output().uses().isEmpty()
                && !site.transpose().output().isGraphOutput()) {
            g.removeNode(site.transpose());
        }
        Value w = site.weight();
        if (w.uses().isEmpty() && !w.isGraphOutput() && g.initializers().containsValue(w)) {
            g.removeInitializer(w);
            if (g.inputs().contains(w)) {
                g.removeInput(w);
            }
        }
    }

    /** The weight as {@code [out, in]} (N×K) floats, row-major, whatever its stored layout. */
    static float[] outIn(LinearSite site) {
        float[] w = site.weight().constant().toFloats();
        if (site.layout() == io.ortune.graph.peft.WeightLayout.OUT_IN) {
            return w;
        }
        int k = (int) site.inFeatures();
        int n = (int) site.outFeatures();
        float[] t = new float[w.length];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < n; j++) {
                t[j * k + i] = w[i * n + j];
            }
        }
        return t;
    }

    /** True when the site is a plain {@code x·W (+ C)}: Gemm without transA and with alpha = beta = 1. */
    static boolean plain(LinearSite site) {
        Node n = site.node();
        return n.is("MatMul") || (n.intAttr("transA", 0) == 0 && n.floatAttr("alpha", 1f) == 1f
                && n.floatAttr("beta", 1f) == 1f);
    }
}
