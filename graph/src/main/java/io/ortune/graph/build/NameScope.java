package io.ortune.graph.build;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Unique names for the values and nodes a builder adds, following module paths the way the PyTorch exporter does:
 * inside {@code model.layers.0.self_attn.q_proj} a MatMul is named {@code /model/layers.0/self_attn/q_proj/MatMul}
 * and its output {@code /model/layers.0/self_attn/q_proj/MatMul_output_0}; a second MatMul there gets
 * {@code .../MatMul_1}. Values and nodes are separate namespaces (as in ONNX); both are seeded with every name
 * already in the graph, its subgraphs included.
 */
public final class NameScope {

    private final Set<String> values = new HashSet<>();
    private final Set<String> nodes = new HashSet<>();
    private final Map<String, Integer> nextSuffix = new HashMap<>();
    private final Deque<Integer> depths = new ArrayDeque<>();
    private final List<String> path = new ArrayList<>();

    private NameScope() {
    }

    /** A scope that knows no names yet. */
    public static NameScope empty() {
        return new NameScope();
    }

    /** A scope seeded with every value and node name of {@code graph} and its subgraphs. */
    public static NameScope of(Graph graph) {
        NameScope s = new NameScope();
        s.seed(graph);
        return s;
    }

    private void seed(Graph g) {
        for (Value v : g.inputs()) {
            values.add(v.name());
        }
        values.addAll(g.initializers().keySet());
        for (Node n : g.nodes()) {
            nodes.add(n.name());
            for (Value v : n.outputs()) {
                values.add(v.name());
            }
            for (Graph sub : n.subgraphs()) {
                seed(sub);
            }
        }
    }

    /**
     * Splits a module path into name segments: dots separate modules, but a numeric segment stays with the one
     * before it ({@code model.layers.0.mlp} gives {@code model}, {@code layers.0}, {@code mlp}). Slashes also
     * separate.
     */
    public static List<String> segments(String modulePath) {
        List<String> out = new ArrayList<>();
        for (String part : modulePath.split("[./]")) {
            if (part.isEmpty()) {
                continue;
            }
            if (isNumber(part) && !out.isEmpty()) {
                out.set(out.size() - 1, out.get(out.size() - 1) + "." + part);
            } else {
                out.add(part);
            }
        }
        return out;
    }

    private static boolean isNumber(String s) {
        return s.chars().allMatch(Character::isDigit);
    }

    /** Enters a module; returns a token for {@link #pop}. */
    public int push(String modulePath) {
        depths.push(path.size());
        path.addAll(segments(modulePath));
        return depths.size();
    }

    /** Leaves the module entered by the {@link #push} that returned {@code token}; scopes close innermost first. */
    public void pop(int token) {
        if (token != depths.size()) {
            throw new IllegalStateException("name scopes must be closed innermost first: closing scope #" + token
                    + " while " + depths.size() + " are open");
        }
        int keep = depths.pop();
        while (path.size() > keep) {
            path.remove(path.size() - 1);
        }
    }

    /** The current module prefix, {@code /model/layers.0/self_attn}, or "" at the root. */
    public String prefix() {
        return path.isEmpty() ? "" : "/" + String.join("/", path);
    }

    /** A fresh node name for an op in the current module, reserved. */
    public String nodeName(String opType) {
        return unique(nodes, prefix() + "/" + opType);
    }

    /** A fresh name for output {@code index} of node {@code nodeName}, reserved. */
    public String outputName(String nodeName, int index) {
        return unique(values, nodeName + "_output_" + index);
    }

    /** {@code base} if no value has it yet, else {@code base_1}, {@code base_2}...; reserved. */
    public String uniqueValue(String base) {
        return unique(values, base);
    }

    /** Reserves an exact value name; false when a value already has it. */
    public boolean reserveValue(String name) {
        return values.add(name);
    }

    public boolean hasValue(String name) {
        return values.contains(name);
    }

    public boolean hasNode(String name) {
        return nodes.contains(name);
    }

    private String unique(Set<String> taken, String base) {
        if (taken.add(base)) {
            return base;
        }
        int k = nextSuffix.getOrDefault(base, 1);
        String candidate = base + "_" + k;
        while (!taken.add(candidate)) {
            k++;
            candidate = base + "_" + k;
        }
        nextSuffix.put(base, k + 1);
        return candidate;
    }
}
