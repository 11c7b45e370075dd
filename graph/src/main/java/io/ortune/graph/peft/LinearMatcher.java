package io.ortune.graph.peft;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * Finds the linear layers of a graph, the shared first step of every PEFT rewrite that targets modules.
 *
 * <p>Recognised: {@code MatMul(x, W[in,out])} (GPT-2 Conv1D, pre-transposed exporter weights),
 * {@code MatMul(x, Transpose(W[out,in]))} (ortune's {@code nn.Linear}), and {@code Gemm(x, W, C)} with or without
 * {@code transB}. W must be a floating-point 2-D initializer. A MatMul whose right operand is anything else (an
 * activation, as in attention scores, or a weight computed at run time) is not a linear layer and is not reported;
 * one whose weight is a 2-D tensor of the wrong kind (integer, behind a Cast, a {@code Constant} node) is reported
 * as skipped with the reason.
 */
public final class LinearMatcher {

    /**
     * What {@link #find} saw.
     *
     * @param sites   linear layers in graph order
     * @param skipped weight-reading MatMul/Gemm nodes that are not usable linear layers, with reasons
     */
    public record Matches(List<LinearSite> sites, List<SkippedCandidate> skipped) {
        public Matches {
            sites = List.copyOf(sites);
            skipped = List.copyOf(skipped);
        }

        /** The site of {@code module}, if any. */
        public Optional<LinearSite> site(String module) {
            return sites.stream().filter(s -> s.module().equals(module)).findFirst();
        }
    }

    private LinearMatcher() {
    }

    /** The linear layers of {@code g}'s own nodes (subgraphs are not searched). */
    public static Matches find(Graph g) {
        List<Candidate> found = new ArrayList<>();
        List<SkippedCandidate> skipped = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (n.is("MatMul") && n.inputCount() == 2) {
                matMul(n, found, skipped);
            } else if (n.is("Gemm") && n.inputCount() >= 2) {
                gemm(n, found, skipped);
            }
        }
        Map<Value, Integer> uses = new IdentityHashMap<>();
        for (Candidate c : found) {
            uses.merge(c.weight, 1, Integer::sum);
        }
        Map<String, Integer> seen = new HashMap<>();
        List<LinearSite> sites = new ArrayList<>();
        for (Candidate c : found) {
            String module = ModulePaths.ofLinear(c.node, c.weight).orElse("node:" + c.node.name());
            int dup = seen.merge(module, 1, Integer::sum);
            if (dup > 1) {
                // A weight shared by several nodes yields one module per node; PEFT would see one module.
                module = ModulePaths.fromNodeName(c.node.name()).filter(m -> !seen.containsKey(m))
                        .orElse(module + "#" + (dup - 1));
                seen.merge(module, 1, Integer::sum);
            }
            Value out = c.biasAdd != null ? c.biasAdd.output() : c.node.output();
            OptionalInt layer = ModulePaths.layerOf(module);
            boolean tied = readByGather(c.weight);
            boolean head = g.outputs().contains(out) || ModulePaths.leaf(module).equals("lm_head");
            sites.add(new LinearSite(module, c.node, c.node.input(0), c.weight, c.transpose, c.layout, c.in, c.out,
                    c.bias, c.biasAdd, out, layer, uses.get(c.weight), tied, head));
        }
        return new Matches(sites, skipped);
    }

    private record Probe(Value weight, Node transpose, String problem) { }

    private static final class Candidate {
        Node node;
        Value weight;
        Node transpose;
        WeightLayout layout;
        long in;
        long out;
        Value bias;
        Node biasAdd;
    }

    private static void matMul(Node n, List<Candidate> found, List<SkippedCandidate> skipped) {
        Value b = n.input(1);
        Probe p = probeWeight(b, true);
        if (p == null) {
            return;
        }
        if (p.problem != null) {
            skipped.add(skip(n, p.weight, p.problem));
            return;
        }
        long[] d = p.weight.constant().dims();
        Candidate c = new Candidate();
        c.node = n;
        c.weight = p.weight;
        c.transpose = p.transpose;
        c.layout = p.transpose == null ? WeightLayout.IN_OUT : WeightLayout.OUT_IN;
        c.in = p.transpose == null ? d[0] : d[1];
        c.out = p.transpose == null ? d[1] : d[0];
        biasAfter(n.output(), c);
        found.add(c);
    }

    private static void gemm(Node n, List<Candidate> found, List<SkippedCandidate> skipped) {
        Probe p = probeWeight(n.input(1), false);
        if (p == null) {
            return;
        }
        if (p.problem != null) {
            skipped.add(skip(n, p.weight, p.problem));
            return;
        }
        if (n.intAttr("transA", 0) != 0) {
            skipped.add(skip(n, p.weight, "Gemm with transA=1 reads its input transposed"));
            return;
        }
        if (n.floatAttr("alpha", 1f) != 1f || (n.inputCount() > 2 && n.floatAttr("beta", 1f) != 1f)) {
            skipped.add(skip(n, p.weight, "Gemm with alpha or beta other than 1"));
            return;
        }
        long[] d = p.weight.constant().dims();
        boolean transB = n.intAttr("transB", 0) != 0;
        Candidate c = new Candidate();
        c.node = n;
        c.weight = p.weight;
        c.layout = transB ? WeightLayout.OUT_IN : WeightLayout.IN_OUT;
        c.in = transB ? d[1] : d[0];
        c.out = transB ? d[0] : d[1];
        Value bias = n.input(2);
        if (bias != null && bias.isInitializer() && bias.constant().rank() == 1) {
            c.bias = bias;
        }
        found.add(c);
    }

    /** Null when {@code b} is not weight-like at all (an activation); a problem when it is a weight we cannot use. */
    private static Probe probeWeight(Value b, boolean allowTranspose) {
        Node transpose = null;
        Value w = b;
        if (allowTranspose && b.producer() != null && b.producer().is("Transpose")) {
            Node t = b.producer();
            long[] perm = t.intsAttr("perm");
            Value src = t.input(0);
            boolean swap2d = perm == null || (perm.length == 2 && perm[0] == 1 && perm[1] == 0);
            if (src.isInitializer() && src.constant().rank() == 2 && swap2d) {
                transpose = t;
                w = src;
            } else if (!src.isInitializer()) {
                return null;
            }
        }
        if (w.isInitializer()) {
            if (w.constant().rank() != 2) {
                return w.constant().rank() > 2 ? null : new Probe(w, null, "weight '" + w.name() + "' is "
                        + w.constant().rank() + "-D, not a 2-D matrix");
            }
            if (!w.constant().dtype().isFloatingPoint()) {
                return new Probe(w, null, "weight '" + w.name() + "' is " + w.constant().dtype().onnxName()
                        + " (already quantized?), not floating point");
            }
            return new Probe(w, transpose, null);
        }
        Node prod = w.producer();
        if (prod != null && prod.is("Constant")) {
            return new Probe(w, null, "weight comes from a Constant node, not an initializer (run 'ortune convert' "
                    + "to lift constants)");
        }
        if (prod != null && (prod.is("Cast") || prod.is("DequantizeLinear")) && prod.input(0).isInitializer()
                && prod.input(0).constant().rank() == 2) {
            return new Probe(w, null, "weight is computed from '" + prod.input(0).name() + "' by " + prod.opType()
                    + " at run time");
        }
        return null;
    }

    private static void biasAfter(Value y, Candidate c) {
        List<Node> consumers = y.consumers();
        if (consumers.size() != 1 || !consumers.get(0).is("Add")) {
            return;
        }
        Node add = consumers.get(0);
        Value other = add.input(0) == y ? add.input(1) : add.input(0);
        if (other != null && other.isInitializer() && other.constant().rank() == 1
                && other.constant().dims()[0] == c.out) {
            c.bias = other;
            c.biasAdd = add;
        }
    }

    private static boolean readByGather(Value w) {
        for (Node n : w.consumers()) {
            if (n.is("Gather") && n.input(0) == w) {
                return true;
            }
            if (n.is("Transpose")) {
                for (Node m : n.output().consumers()) {
                    if (m.is("Gather") && m.input(0) == n.output()) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static SkippedCandidate skip(Node n, Value w, String reason) {
        String module = ModulePaths.ofLinear(n, w).orElse("node:" + n.name());
        return new SkippedCandidate(module, n.name(), reason);
    }
}
