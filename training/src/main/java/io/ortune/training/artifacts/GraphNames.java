package io.ortune.training.artifacts;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.HashSet;
import java.util.Set;

/** The value names used in a graph and its subgraphs, to keep names that rewrites add unique. */
final class GraphNames {

    private GraphNames() {
    }

    static Set<String> all(Graph g) {
        Set<String> names = new HashSet<>();
        collect(g, names);
        return names;
    }

    private static void collect(Graph g, Set<String> names) {
        for (Value v : g.inputs()) {
            names.add(v.name());
        }
        names.addAll(g.initializers().keySet());
        for (Node n : g.nodes()) {
            for (Value o : n.outputs()) {
                names.add(o.name());
            }
            for (Graph sub : n.subgraphs()) {
                collect(sub, names);
            }
        }
    }
}
