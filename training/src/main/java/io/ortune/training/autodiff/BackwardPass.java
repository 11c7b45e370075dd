package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.OpCheckException;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The reverse walk: for each active node, last to first, gather its output gradients, run its rule inside a
 * {@code grad/<node path>} name scope, and route the input gradients to the sums.
 */
final class BackwardPass {

    private final GraphBuilder b;
    private final GradientRules rules;
    private final GradContext ctx;
    private final Reachability reach;
    private final GradientSums sums;
    private final Map<String, Integer> rulesUsed;
    private final Recomputation recompute;

    BackwardPass(GraphBuilder b, GradientRules rules, GradContext ctx, Reachability reach, GradientSums sums,
                 Map<String, Integer> rulesUsed, Recomputation recompute) {
        this.b = b;
        this.rules = rules;
        this.ctx = ctx;
        this.reach = reach;
        this.sums = sums;
        this.rulesUsed = rulesUsed;
        this.recompute = recompute;
    }

    void run() {
        List<Node> active = reach.active();
        for (int k = active.size() - 1; k >= 0; k--) {
            differentiate(active.get(k));
        }
    }

    private void differentiate(Node n) {
        List<Value> outputGrads = new ArrayList<>(n.outputs().size());
        Value first = null;
        for (Value out : n.outputs()) {
            Value g = reach.relevant(out) ? sums.total(b, out) : null;
            outputGrads.add(g);
            first = first == null ? g : first;
        }
        if (first == null) {
            return;
        }
        if (recompute != null) {
            recompute.anchor(first);
        }
        GradientRule rule = rules.find(n);
        if (rule == null) {
            throw UnsupportedGradientException.noRule(GradientRules.key(n.domain(), n.opType()), n.name(),
                    rules.supportedOps());
        }
        List<Value> inputGrads;
        try (GraphBuilder.Scope s = b.scope("grad" + (n.name().isEmpty() ? "/" + n.opType() : n.name()))) {
            inputGrads = rule.vjp(ctx, n, outputGrads);
        } catch (OpCheckException e) {
            throw new IllegalStateException("the gradient rule of " + n + " built an invalid node: "
                    + e.getMessage(), e);
        }
        rulesUsed.merge(GradientRules.key(n.domain(), n.opType()), 1, Integer::sum);
        if (inputGrads == null) {
            return;
        }
        for (int i = n.inputCount(); i < inputGrads.size(); i++) {
            if (inputGrads.get(i) != null) {
                throw new IllegalStateException("the gradient rule of " + n + " returned a gradient for input " + i
                        + ", but the node has " + n.inputCount() + " inputs");
            }
        }
        for (int i = 0; i < Math.min(inputGrads.size(), n.inputCount()); i++) {
            Value g = inputGrads.get(i);
            Value in = n.input(i);
            if (g != null && in != null && reach.relevant(in)) {
                sums.add(in, g);
            }
        }
    }
}
