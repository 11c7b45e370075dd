package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Renames values (inputs, initializers, node outputs) and nodes, refusing names already used anywhere in the graph
 * tree (value names must be unique across a graph and its subgraphs). Since values link by reference, renaming a
 * value renames it everywhere it is read. Several renames given together are checked and applied as one, so
 * swaps work. Works in place.
 */
public final class Renamer {

    private Renamer() {
    }

    public static void renameValue(Graph g, String from, String to) {
        renameValues(g, Map.of(from, to));
    }

    public static void renameNode(Graph g, String from, String to) {
        renameNodes(g, Map.of(from, to));
    }

    /** Renames values by name ({@code old -> new}) in {@code g} and its subgraphs. */
    public static void renameValues(Graph g, Map<String, String> renames) {
        Map<String, Value> byName = new HashMap<>();
        for (Graph s : GraphWalk.graphs(g)) {
            for (Value v : GraphWalk.definedIn(s)) {
                if (!v.name().isEmpty()) {
                    byName.putIfAbsent(v.name(), v);
                }
            }
        }
        Map<Value, String> plan = new LinkedHashMap<>();
        renames.forEach((from, to) -> {
            Value v = byName.get(from);
            if (v == null) {
                throw new IllegalArgumentException("cannot rename value '" + from + "': graph '" + g.name()
                        + "' has no value of that name");
            }
            plan.put(v, to);
        });
        checkTargets("value", g, byName.keySet(), renames);
        // Two steps so that swaps never meet a name still held: first a name no real value has, then the target.
        int i = 0;
        for (Value v : plan.keySet()) {
            v.setName("\u0000renaming-" + i++);
        }
        plan.forEach(Value::setName);
    }

    /** Renames nodes by name ({@code old -> new}) in {@code g} and its subgraphs. */
    public static void renameNodes(Graph g, Map<String, String> renames) {
        Map<String, Node> byName = new HashMap<>();
        for (Graph s : GraphWalk.graphs(g)) {
            for (Node n : s.nodes()) {
                if (!n.name().isEmpty()) {
                    byName.putIfAbsent(n.name(), n);
                }
            }
        }
        Map<Node, String> plan = new LinkedHashMap<>();
        renames.forEach((from, to) -> {
            Node n = byName.get(from);
            if (n == null) {
                throw new IllegalArgumentException("cannot rename node '" + from + "': graph '" + g.name()
                        + "' has no node of that name");
            }
            plan.put(n, to);
        });
        checkTargets("node", g, byName.keySet(), renames);
        plan.forEach(Node::setName);
    }

    /** New names must be non-empty, distinct, and not used by anything that keeps its name. */
    private static void checkTargets(String kind, Graph g, Set<String> existing, Map<String, String> renames) {
        Set<String> targets = new HashSet<>();
        for (Map.Entry<String, String> e : renames.entrySet()) {
            String to = e.getValue();
            if (to == null || to.isEmpty()) {
                throw new IllegalArgumentException("cannot rename " + kind + " '" + e.getKey() + "' to an empty name");
            }
            if (!targets.add(to)) {
                throw new IllegalArgumentException("cannot rename two " + kind + "s to '" + to + "'");
            }
            boolean keeps = existing.contains(to) && !renames.containsKey(to);
            if (keeps && !to.equals(e.getKey())) {
                throw new IllegalArgumentException("cannot rename " + kind + " '" + e.getKey() + "' to '" + to
                        + "': graph '" + g.name() + "' already has a " + kind + " named '" + to + "'");
            }
        }
    }

    /** Names of every value defined in {@code g} and its subgraphs. */
    public static Set<String> valueNames(Graph g) {
        Set<String> out = new HashSet<>();
        for (Graph s : GraphWalk.graphs(g)) {
            for (Value v : GraphWalk.definedIn(s)) {
                out.add(v.name());
            }
        }
        return out;
    }

    /** Names of every node in {@code g} and its subgraphs. */
    public static Set<String> nodeNames(Graph g) {
        Set<String> out = new HashSet<>();
        for (Graph s : GraphWalk.graphs(g)) {
            for (Node n : s.nodes()) {
                out.add(n.name());
            }
        }
        return out;
    }
}
