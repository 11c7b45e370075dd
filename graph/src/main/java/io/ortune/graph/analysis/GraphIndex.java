package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A snapshot index of one graph level: values and nodes by name, producers, and consumers (a node whose subgraph
 * reads a value counts as its consumer). Rebuild it after changing the graph.
 */
public final class GraphIndex {

    private final Graph graph;
    private final Map<String, Value> values = new HashMap<>();
    private final Map<String, Node> nodes = new HashMap<>();
    private final Map<Node, Integer> position = new IdentityHashMap<>();
    private final Map<Value, Set<Node>> consumers = new IdentityHashMap<>();
    private final Set<Value> outputs = GraphWalk.identitySet();

    private GraphIndex(Graph graph) {
        this.graph = graph;
        for (Value v : graph.inputs()) {
            values.putIfAbsent(v.name(), v);
        }
        graph.initializers().values().forEach(v -> values.putIfAbsent(v.name(), v));
        List<Node> list = graph.nodes();
        for (int i = 0; i < list.size(); i++) {
            Node n = list.get(i);
            position.put(n, i);
            if (!n.name().isEmpty()) {
                nodes.putIfAbsent(n.name(), n);
            }
            for (Value v : n.outputs()) {
                if (!v.name().isEmpty()) {
                    values.putIfAbsent(v.name(), v);
                }
            }
            for (Value v : GraphWalk.dependencies(n)) {
                consumers.computeIfAbsent(v, k -> new LinkedHashSet<>()).add(n);
            }
        }
        outputs.addAll(graph.outputs());
    }

    public static GraphIndex of(Graph graph) {
        return new GraphIndex(graph);
    }

    public Graph graph() {
        return graph;
    }

    /** The value of that name defined in this graph (input, initializer or node output), or null. */
    public Value value(String name) {
        return values.get(name);
    }

    /** The node of that name, or null. */
    public Node node(String name) {
        return nodes.get(name);
    }

    /** The node of this graph producing {@code v}, or null (graph input, initializer, outer value). */
    public Node producer(Value v) {
        Node p = v.producer();
        return p != null && position.containsKey(p) ? p : null;
    }

    /** Nodes of this graph reading {@code v} directly or through their subgraphs, in graph order. */
    public List<Node> consumers(Value v) {
        Set<Node> c = consumers.get(v);
        return c == null ? List.of() : List.copyOf(c);
    }

    /** Nodes of this graph that {@code n} depends on, deduplicated. */
    public List<Node> predecessors(Node n) {
        Set<Node> out = new LinkedHashSet<>();
        for (Value v : GraphWalk.dependencies(n)) {
            Node p = producer(v);
            if (p != null) {
                out.add(p);
            }
        }
        return new ArrayList<>(out);
    }

    /** Nodes of this graph that read an output of {@code n}. */
    public List<Node> successors(Node n) {
        Set<Node> out = new LinkedHashSet<>();
        for (Value v : n.outputs()) {
            out.addAll(consumers(v));
        }
        return new ArrayList<>(out);
    }

    public boolean isGraphOutput(Value v) {
        return outputs.contains(v);
    }

    /** Position of {@code n} in the node list, or -1. */
    public int position(Node n) {
        return position.getOrDefault(n, -1);
    }

    /** All names of values defined at this level. */
    public Set<String> valueNames() {
        return Collections.unmodifiableSet(values.keySet());
    }
}
