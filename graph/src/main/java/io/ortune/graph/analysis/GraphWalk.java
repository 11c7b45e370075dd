package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Walks over graphs and their subgraphs, and the values a subgraph reads from enclosing scopes. */
public final class GraphWalk {

    private GraphWalk() {
    }

    /** A set compared by identity (values and nodes are entities, not data). */
    public static <T> Set<T> identitySet() {
        return Collections.newSetFromMap(new IdentityHashMap<>());
    }

    /** {@code root} and every subgraph under it, parents before children. */
    public static List<Graph> graphs(Graph root) {
        List<Graph> out = new ArrayList<>();
        collectGraphs(root, out);
        return out;
    }

    private static void collectGraphs(Graph g, List<Graph> out) {
        out.add(g);
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                collectGraphs(sub, out);
            }
        }
    }

    /**
     * The values {@code g} itself defines, in order: inputs, initializers, node outputs (not those of subgraphs);
     * each once.
     */
    public static List<Value> definedIn(Graph g) {
        Set<Value> seen = identitySet();
        List<Value> out = new ArrayList<>();
        for (Value v : g.inputs()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Value v : g.initializers().values()) {
            if (seen.add(v)) {
                out.add(v);
            }
        }
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) {
                if (seen.add(v)) {
                    out.add(v);
                }
            }
        }
        return out;
    }

    /**
     * The values the subgraphs of {@code node} (at any depth) read without defining them: reads from the graph
     * holding {@code node} or from further out. Insertion-ordered.
     */
    public static Set<Value> outerReads(Node node) {
        Set<Value> out = new LinkedHashSet<>();
        for (Graph sub : node.subgraphs()) {
            collectReads(sub, identitySet(), out);
        }
        return out;
    }

    private static void collectReads(Graph g, Set<Value> enclosing, Set<Value> out) {
        Set<Value> defined = identitySet();
        defined.addAll(enclosing);
        defined.addAll(definedIn(g));
        for (Node n : g.nodes()) {
            for (Value v : n.inputs()) {
                if (v != null && !defined.contains(v)) {
                    out.add(v);
                }
            }
            for (Graph sub : n.subgraphs()) {
                collectReads(sub, defined, out);
            }
        }
        for (Value v : g.outputs()) {
            if (!defined.contains(v)) {
                out.add(v);
            }
        }
    }

    /** Inputs of {@code n} followed by its subgraphs' outer reads: everything {@code n} depends on. */
    public static List<Value> dependencies(Node n) {
        List<Value> out = new ArrayList<>();
        for (Value v : n.inputs()) {
            if (v != null) {
                out.add(v);
            }
        }
        out.addAll(outerReads(n));
        return out;
    }

    /** Whether {@code v} is an initializer of {@code g} or an enclosing graph that is also a graph input there. */
    public static boolean isOverridableInitializer(Graph g, Value v) {
        if (!v.isInitializer()) {
            return false;
        }
        for (Graph s = g; s != null; s = s.parent()) {
            if (s.initializers().get(v.name()) == v) {
                return s.inputs().contains(v);
            }
        }
        return false;
    }

    /** Removes {@code n} from {@code g}, first unlinking every node inside its subgraphs (so uses stay right). */
    public static void removeDeep(Graph g, Node n) {
        for (Graph sub : n.subgraphs()) {
            for (Node inner : List.copyOf(sub.nodes())) {
                removeDeep(sub, inner);
            }
        }
        g.removeNode(n);
    }
}
