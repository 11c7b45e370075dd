package io.ortune.training.artifacts;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/** Removes what no graph output depends on: nodes, then initializers no node reads. */
final class GraphPruning {

    private GraphPruning() {
    }

    /** Removes the nodes of {@code g} (top level) that no graph output depends on; returns how many. */
    static int removeDeadNodes(Graph g) {
        Set<Node> live = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Value> work = new ArrayDeque<>(g.outputs());
        while (!work.isEmpty()) {
            Value v = work.pop();
            Node p = v.producer();
            if (p == null || p.graph() != g || !live.add(p)) {
                continue;
            }
            for (Value in : p.inputs()) {
                if (in != null) {
                    work.push(in);
                }
            }
            for (Graph sub : p.subgraphs()) {
                collectReads(sub, work);
            }
        }
        List<Node> dead = new ArrayList<>();
        for (Node n : g.nodes()) {
            if (!live.contains(n)) {
                dead.add(n);
            }
        }
        for (int i = dead.size() - 1; i >= 0; i--) {
            g.removeNode(dead.get(i));
        }
        return dead.size();
    }

    /** Removes initializers that nothing reads and that are not graph outputs; returns their names. */
    static List<String> removeUnusedInitializers(Graph g) {
        List<String> removed = new ArrayList<>();
        for (Value init : new ArrayList<>(g.initializers().values())) {
            if (init.uses().isEmpty() && !g.outputs().contains(init) && !g.inputs().contains(init)) {
                g.removeInitializer(init);
                removed.add(init.name());
            }
        }
        return removed;
    }

    /** Drops {@code value_info} entries of values whose producer was removed. */
    static void dropStaleValueInfos(Graph g) {
        g.valueInfos().removeIf(v -> v.producer() != null && v.producer().graph() == null);
    }

    /** Every value a subgraph (recursively) reads or outputs: the ones from enclosing scopes keep their producers. */
    private static void collectReads(Graph sub, Deque<Value> work) {
        for (Node n : sub.nodes()) {
            for (Value in : n.inputs()) {
                if (in != null) {
                    work.push(in);
                }
            }
            for (Graph inner : n.subgraphs()) {
                collectReads(inner, work);
            }
        }
        work.addAll(sub.outputs());
    }
}
