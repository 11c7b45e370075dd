package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Set;

/**
 * Removes nodes that feed no graph output (directly or through a subgraph that reads them), then initializers
 * nothing reads. Graph inputs stay: they are the model's signature. Works in place, subgraphs included.
 */
public final class DeadCodeElimination {

    /** What was removed. */
    public record Result(int nodes, int initializers) {
        public boolean changed() {
            return nodes > 0 || initializers > 0;
        }

        Result plus(Result o) {
            return new Result(nodes + o.nodes, initializers + o.initializers);
        }
    }

    private DeadCodeElimination() {
    }

    public static Result run(Graph g) {
        Set<Value> live = GraphWalk.identitySet();
        Set<Node> liveNodes = GraphWalk.identitySet();
        Deque<Value> work = new ArrayDeque<>(g.outputs());
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (!live.add(v)) {
                continue;
            }
            Node p = v.producer();
            if (p != null && p.graph() == g && liveNodes.add(p)) {
                work.addAll(GraphWalk.dependencies(p));
            }
        }
        int removedNodes = 0;
        List<Node> nodes = new ArrayList<>(g.nodes());
        for (int i = nodes.size() - 1; i >= 0; i--) {
            if (!liveNodes.contains(nodes.get(i))) {
                GraphWalk.removeDeep(g, nodes.get(i));
                removedNodes++;
            }
        }
        Set<Value> removedInits = GraphWalk.identitySet();
        for (Value init : List.copyOf(g.initializers().values())) {
            if (!live.contains(init) && !g.inputs().contains(init)) {
                g.removeInitializer(init);
                removedInits.add(init);
            }
        }
        g.valueInfos().removeIf(v -> removedInits.contains(v) || v.producer() != null && v.producer().graph() != g);
        Result result = new Result(removedNodes, removedInits.size());
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                result = result.plus(run(sub));
            }
        }
        return result;
    }
}
