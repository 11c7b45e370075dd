package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * Stable topological order: among the nodes ready to run, the one earliest in the current list comes first, so an
 * already sorted graph keeps its order. A node depends on the producers of its inputs and of the values its
 * subgraphs read from outside.
 */
public final class TopologicalSort {

    private TopologicalSort() {
    }

    /** The nodes of {@code g} in topological order; {@link CycleException} naming a cycle when there is none. */
    public static List<Node> order(Graph g) {
        List<Node> nodes = g.nodes();
        int n = nodes.size();
        Map<Node, Integer> index = new IdentityHashMap<>();
        for (int i = 0; i < n; i++) {
            index.put(nodes.get(i), i);
        }
        List<List<Integer>> succ = new ArrayList<>(n);
        int[] pending = new int[n];
        for (int i = 0; i < n; i++) {
            succ.add(new ArrayList<>());
        }
        for (int i = 0; i < n; i++) {
            for (int p : producers(nodes.get(i), index)) {
                succ.get(p).add(i);
                pending[i]++;
            }
        }
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < n; i++) {
            if (pending[i] == 0) {
                ready.add(i);
            }
        }
        List<Node> out = new ArrayList<>(n);
        while (!ready.isEmpty()) {
            int i = ready.poll();
            out.add(nodes.get(i));
            for (int s : succ.get(i)) {
                if (--pending[s] == 0) {
                    ready.add(s);
                }
            }
        }
        if (out.size() < n) {
            throw new CycleException(g.name(), findCycle(nodes, index, pending), n - out.size());
        }
        return out;
    }

    /** Distinct indices of the nodes of this graph that {@code node} depends on. */
    private static List<Integer> producers(Node node, Map<Node, Integer> index) {
        List<Integer> out = new ArrayList<>();
        for (Value v : GraphWalk.dependencies(node)) {
            Integer p = v.producer() == null ? null : index.get(v.producer());
            if (p != null && !out.contains(p)) {
                out.add(p);
            }
        }
        return out;
    }

    /**
     * Follows unordered predecessors from an unordered node until one repeats: that loop is a cycle, returned in
     * data-flow order starting from its node earliest in the list.
     */
    private static List<Node> findCycle(List<Node> nodes, Map<Node, Integer> index, int[] pending) {
        int start = -1;
        for (int i = 0; i < pending.length && start < 0; i++) {
            if (pending[i] > 0) {
                start = i;
            }
        }
        List<Integer> walk = new ArrayList<>();
        int cur = start;
        while (!walk.contains(cur)) {
            walk.add(cur);
            int next = -1;
            for (int p : producers(nodes.get(cur), index)) {
                if (pending[p] > 0) {
                    next = p;
                    break;
                }
            }
            cur = next;
        }
        List<Integer> loop = new ArrayList<>(walk.subList(walk.indexOf(cur), walk.size()));
        Collections.reverse(loop);
        Collections.rotate(loop, -loop.indexOf(Collections.min(loop)));
        List<Node> cycle = new ArrayList<>();
        for (int k : loop) {
            cycle.add(nodes.get(k));
        }
        return cycle;
    }

    /** Reorders {@code g} and all its subgraphs in place; true when some order changed. */
    public static boolean sort(Graph g) {
        List<Node> order = order(g);
        boolean changed = !order.equals(g.nodes());
        if (changed) {
            g.reorderNodes(order);
        }
        for (Node n : order) {
            for (Graph sub : n.subgraphs()) {
                changed |= sort(sub);
            }
        }
        return changed;
    }
}
