package io.ortune.export.merge;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.PeftMetadata;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Finds, for every adapter a model records, the nodes where it joins the base flow (one {@link Join} per module),
 * or why it cannot be folded into the weights. A join is recognised by structure, not by node names: an Add or Mul
 * taking the layer's output (or, for an IA3 input scale, feeding its input) at input 0, whose input 1 is computed
 * only from the layer's input, its product, initializers and constants, and reads the adapter's tensors.
 */
final class AdapterJoins {

    /** Nodes visited at most when checking that a value is a local adapter term. */
    private static final int CONE_BUDGET = 256;
    private static final String PEFT_PREFIX = "base_model.model.";

    /**
     * What was found.
     *
     * @param joins   joins of the foldable adapters, in graph order per adapter
     * @param refused adapter name to the reason it cannot be folded
     */
    record Located(List<Join> joins, Map<String, String> refused) { }

    private AdapterJoins() {
    }

    static Located locate(Model m) {
        List<AdapterInfo> adapters = PeftMetadata.adapters(m);
        Set<String> owned = new HashSet<>();
        for (AdapterInfo a : adapters) {
            owned.addAll(ownedTensors(m, a));
        }
        Map<String, LinearSite> sites = new LinkedHashMap<>();
        for (LinearSite s : LinearMatcher.find(m.graph()).sites()) {
            if (!owned.contains(s.weight().name())) {
                sites.putIfAbsent(s.module(), s);
            }
        }
        List<Join> joins = new ArrayList<>();
        Map<String, String> refused = new LinkedHashMap<>();
        for (AdapterInfo a : adapters) {
            try {
                joins.addAll(joinsOf(m, a, sites));
            } catch (MergeException e) {
                refused.put(a.name(), e.getMessage());
            }
        }
        refuseMixedModules(joins, refused);
        return new Located(joins.stream().filter(j -> !refused.containsKey(j.adapter().name())).toList(), refused);
    }

    /** Every initializer adapter {@code a} owns: recorded tensors, LoRA scalings, its gate. */
    static Set<String> ownedTensors(Model m, AdapterInfo a) {
        Set<String> out = new HashSet<>(a.tensors().values());
        out.add(AdapterSwitch.gateName(a.name()));
        for (String module : modules(a, ".lora_A.weight")) {
            out.add(module + ".lora_scaling." + a.name());
        }
        String scope = "prompt_encoder." + a.name() + ".";
        for (String init : m.graph().initializers().keySet()) {
            if (init.startsWith(scope)) {
                out.add(init);
            }
        }
        return out;
    }

    /** The modules of {@code a}'s PEFT keys ending in {@code suffix}, in record order. */
    static List<String> modules(AdapterInfo a, String suffix) {
        List<String> out = new ArrayList<>();
        for (String key : a.tensors().keySet()) {
            if (key.startsWith(PEFT_PREFIX) && key.endsWith(suffix)) {
                out.add(key.substring(PEFT_PREFIX.length(), key.length() - suffix.length()));
            }
        }
        return out;
    }

    private static List<Join> joinsOf(Model m, AdapterInfo a, Map<String, LinearSite> sites) {
        return switch (a.method()) {
            case LORA, DORA -> deltas(m, a, sites);
            case IA3 -> scales(m, a, sites);
            case ADAPTER -> throw new MergeException("bottleneck adapter '" + a.name() + "': up(" + a.get(
                    "non_linearity", "relu") + "(down(h))) has a nonlinear activation between its projections, so it "
                    + "is no weight delta and cannot be folded; it stays in the graph");
            case PREFIX -> throw new MergeException("prefix tuning adapter '" + a.name() + "' adds "
                    + a.get("num_virtual_tokens", "?") + " key/value positions to every attention, not a weight delta; "
                    + "it stays in the graph, its prefix already a constant (initializer) of the inference graph");
            case PROMPT -> throw new MergeException("prompt tuning adapter '" + a.name() + "' prepends "
                    + a.get("num_virtual_tokens", "?") + " embeddings to the input, not a weight delta; it stays in "
                    + "the graph, its prompt already a constant (initializer) of the inference graph");
        };
    }

    private static List<Join> deltas(Model m, AdapterInfo a, Map<String, LinearSite> sites) {
        Set<String> own = ownedTensors(m, a);
        List<Join> out = new ArrayList<>();
        for (String module : modules(a, ".lora_A.weight")) {
            LinearSite s = site(a, module, sites);
            Node n = chainJoin(s, s.output(), own, "Add");
            if (n == null) {
                throw new MergeException(a.method().cliName() + " adapter '" + a.name() + "': no Add joining its "
                        + "term to the output of module '" + module + "' was found (was the graph edited after "
                        + "injection?)");
            }
            out.add(new Join(a, s, n, Join.Kind.DELTA));
        }
        return out;
    }

    private static List<Join> scales(Model m, AdapterInfo a, Map<String, LinearSite> sites) {
        Set<String> own = ownedTensors(m, a);
        List<Join> out = new ArrayList<>();
        for (String module : modules(a, ".ia3_l")) {
            LinearSite s = site(a, module, sites);
            Value l = m.graph().initializer(a.tensors().get(PEFT_PREFIX + module + ".ia3_l"));
            if (l == null || l.constant() == null) {
                throw new MergeException("IA3 adapter '" + a.name() + "' records a vector for module '" + module
                        + "' that the graph does not hold");
            }
            boolean input = l.constant().dims()[0] == 1 && s.outFeatures() != 1;
            Node n;
            if (input) {
                Node p = s.node().input(0).producer();
                n = p != null && p.is("Mul") && p.inputCount() == 2 && p.input(1) == l ? p : null;
            } else {
                n = chainJoin(s, s.output(), own, "Mul");
            }
            if (n == null) {
                throw new MergeException("IA3 adapter '" + a.name() + "': no Mul scaling the " + (input ? "input"
                        : "output") + " of module '" + module + "' by its vector was found");
            }
            out.add(new Join(a, s, n, input ? Join.Kind.SCALE_INPUT : Join.Kind.SCALE_OUTPUT));
        }
        return out;
    }

    private static LinearSite site(AdapterInfo a, String module, Map<String, LinearSite> sites) {
        LinearSite s = sites.get(module);
        if (s == null) {
            throw new MergeException(a.method().cliName() + " adapter '" + a.name() + "' records module '" + module
                    + "', which is no float linear layer of this graph (a quantized base? dequantize it first)");
        }
        if (s.weightUses() > 1) {
            throw new MergeException(a.method().cliName() + " adapter '" + a.name() + "': the weight '"
                    + s.weight().name() + "' of module '" + module + "' is shared by " + s.weightUses()
                    + " linear nodes, so folding would change the others too");
        }
        return s;
    }

    /**
     * Walks the chain of adapter joins starting at {@code v} (each an Add or Mul taking the chain at input 0 and a
     * local adapter term at input 1) and returns the first whose term reads one of {@code own}.
     */
    private static Node chainJoin(LinearSite s, Value v, Set<String> own, String opType) {
        for (int guard = 0; guard < 64 && v != null; guard++) {
            Node next = null;
            for (Value.Use u : v.uses()) {
                Node n = u.node();
                if (u.inputIndex() != 0 || n.inputCount() != 2 || !(n.is("Add") || n.is("Mul"))) {
                    continue;
                }
                Set<String> leaves = localTermLeaves(n.input(1), s);
                if (leaves == null || leaves.isEmpty()) {
                    continue;
                }
                if (n.is(opType) && leaves.stream().anyMatch(own::contains)) {
                    return n;
                }
                next = n;
            }
            v = next == null ? null : next.output();
        }
        return null;
    }

    /**
     * The initializers {@code v} is computed from, when it is computed only from the site's input, its MatMul product,
     * initializers and constants; null when it reads anything else (a graph input, another layer's activation).
     */
    private static Set<String> localTermLeaves(Value v, LinearSite s) {
        Set<String> leaves = new HashSet<>();
        Set<Value> seen = new HashSet<>();
        Deque<Value> work = new ArrayDeque<>(List.of(v));
        Graph g = s.node().graph();
        int visited = 0;
        while (!work.isEmpty()) {
            Value x = work.pop();
            if (!seen.add(x) || x == s.input() || x == s.node().output()) {
                continue;
            }
            if (x.constant() != null) {
                leaves.add(x.name());
                continue;
            }
            Node p = x.producer();
            if (p == null || p.graph() != g || ++visited > CONE_BUDGET || !p.subgraphs().isEmpty()) {
                return null;
            }
            for (Value in : p.inputs()) {
                if (in != null) {
                    work.push(in);
                }
            }
        }
        return leaves;
    }

    /** A module touched by IA3 and another adapter: the composition depends on the order; refuse those adapters. */
    private static void refuseMixedModules(List<Join> joins, Map<String, String> refused) {
        Map<String, List<Join>> byModule = new LinkedHashMap<>();
        for (Join j : joins) {
            byModule.computeIfAbsent(j.module(), k -> new ArrayList<>()).add(j);
        }
        for (Map.Entry<String, List<Join>> e : byModule.entrySet()) {
            List<Join> js = e.getValue();
            boolean scaled = js.stream().anyMatch(j -> j.kind() != Join.Kind.DELTA);
            if (scaled && js.size() > 1) {
                List<String> names = js.stream().map(j -> j.adapter().name()).distinct().toList();
                for (String n : names) {
                    refused.putIfAbsent(n, "module '" + e.getKey() + "' carries adapters " + names + " of which one "
                            + "is IA3; folding a scale and another adapter together is not supported (merge them "
                            + "one at a time: extract one, merge the other)");
                }
            }
        }
    }
}
