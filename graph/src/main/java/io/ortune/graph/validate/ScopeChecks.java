package io.ortune.graph.validate;

import io.ortune.graph.analysis.CycleException;
import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Every value read is defined in its graph or an enclosing one; every graph output is defined; nodes form no cycle
 * (and, as a warning, are listed in topological order).
 */
final class ScopeChecks {

    private ScopeChecks() {
    }

    static void check(Graph g, Set<Value> enclosing, List<ValidationIssue> out) {
        Set<Value> visible = GraphWalk.identitySet();
        visible.addAll(enclosing);
        visible.addAll(GraphWalk.definedIn(g));
        for (Node n : g.nodes()) {
            for (int i = 0; i < n.inputCount(); i++) {
                Value v = n.input(i);
                if (v != null && !visible.contains(v)) {
                    out.add(dangling(g, n, i, v));
                }
            }
            for (Graph sub : n.subgraphs()) {
                check(sub, visible, out);
            }
        }
        for (Value v : g.outputs()) {
            if (!visible.contains(v)) {
                out.add(new ValidationIssue(ValidationIssue.Kind.OUTPUT_NOT_PRODUCED, v.name(), "graph '" + g.name()
                        + "' output '" + v.name() + "' is not produced by any node, graph input or initializer"));
            }
        }
        order(g, out);
    }

    private static ValidationIssue dangling(Graph g, Node n, int i, Value v) {
        String why = v.producer() != null
                ? "whose producer " + v.producer() + " is not in graph '" + g.name() + "' or an enclosing graph"
                : "which no node, graph input or initializer of graph '" + g.name() + "' (or an enclosing graph) "
                + "produces";
        return new ValidationIssue(ValidationIssue.Kind.DANGLING_INPUT, n.name(), "node " + n + " input " + i
                + " reads '" + v.name() + "', " + why);
    }

    private static void order(Graph g, List<ValidationIssue> out) {
        try {
            TopologicalSort.order(g);
        } catch (CycleException e) {
            String first = e.cycle().isEmpty() ? "" : e.cycle().get(0).name();
            out.add(new ValidationIssue(ValidationIssue.Kind.CYCLE, first, e.getMessage()));
            return;
        }
        Map<Node, Integer> pos = new IdentityHashMap<>();
        for (int k = 0; k < g.nodes().size(); k++) {
            pos.put(g.nodes().get(k), k);
        }
        for (Node n : g.nodes()) {
            for (Value v : GraphWalk.dependencies(n)) {
                Integer p = v.producer() == null ? null : pos.get(v.producer());
                if (p != null && p > pos.get(n)) {
                    out.add(new ValidationIssue(ValidationIssue.Kind.NOT_TOPOLOGICALLY_SORTED, n.name(), "node " + n
                            + " reads '" + v.name() + "' before " + v.producer() + " produces it (graph '" + g.name()
                            + "' is not topologically sorted; run the toposort pass)"));
                    return;
                }
            }
        }
    }
}
