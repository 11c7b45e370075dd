package io.ortune.training.autodiff;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Set;

/**
 * The part of the forward graph that differentiation walks: values that depend on a trainable parameter through
 * floating-point edges (forward reachability) and that the loss depends on (backward reachability); neither walk
 * crosses a stop-gradient node ({@link GradientRules#isStopGradient}). Only nodes
 * producing such a value are visited; only inputs in the set receive a gradient.
 */
final class Reachability {

    private final Set<Value> relevant;
    private final List<Node> active;

    private Reachability(Set<Value> relevant, List<Node> active) {
        this.relevant = relevant;
        this.active = active;
    }

    static Reachability compute(Graph g, Value loss, Collection<Value> params) {
        List<Node> order = TopologicalSort.order(g);
        Set<Value> needsGrad = GraphWalk.identitySet();
        needsGrad.addAll(params);
        for (Node n : order) {
            if (GradientRules.isNonDifferentiable(n) || !anyIn(GraphWalk.dependencies(n), needsGrad)) {
                continue;
            }
            for (Value out : n.outputs()) {
                if (mayBeFloat(out)) {
                    needsGrad.add(out);
                }
            }
        }
        Set<Value> ancestors = GraphWalk.identitySet();
        ancestors.add(loss);
        for (int k = order.size() - 1; k >= 0; k--) {
            Node n = order.get(k);
            if (!GradientRules.isStopGradient(n) && anyIn(n.outputs(), ancestors)) {
                ancestors.addAll(GraphWalk.dependencies(n));
            }
        }
        Set<Value> relevant = GraphWalk.identitySet();
        for (Value v : needsGrad) {
            if (ancestors.contains(v)) {
                relevant.add(v);
            }
        }
        List<Node> active = new ArrayList<>();
        for (Node n : order) {
            if (anyIn(n.outputs(), relevant)) {
                active.add(n);
            }
        }
        return new Reachability(relevant, Collections.unmodifiableList(active));
    }

    private static boolean anyIn(Collection<Value> values, Set<Value> set) {
        for (Value v : values) {
            if (v != null && set.contains(v)) {
                return true;
            }
        }
        return false;
    }

    /** Floating point, or of unknown type (then assumed differentiable). */
    private static boolean mayBeFloat(Value v) {
        return v.dtype() == null || v.dtype().isFloatingPoint();
    }

    boolean relevant(Value v) {
        return relevant.contains(v);
    }

    /** Nodes to differentiate, in forward topological order. */
    List<Node> active() {
        return active;
    }
}
