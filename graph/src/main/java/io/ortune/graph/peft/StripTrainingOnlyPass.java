package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.Pass;
import io.ortune.graph.pass.PassResult;

import java.util.List;

/**
 * {@code strip-training-only}: removes every node marked {@link NodeMarks#TRAINING_ONLY} (LoRA dropout), its
 * readers reading its first input instead, for an inference export. {@code Constant} nodes that fed only the
 * removed nodes go too. A marked node whose other outputs are read, or whose output is a graph output, cannot be
 * bypassed and fails naming it.
 */
public final class StripTrainingOnlyPass implements Pass {

    public static final String NAME = "strip-training-only";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        int removed = 0;
        for (Graph g : GraphWalk.graphs(copy.graph())) {
            removed += strip(g);
        }
        if (removed == 0) {
            return PassResult.unchanged(model, "no training-only nodes");
        }
        return PassResult.changed(copy, "removed " + removed + " training-only node" + (removed == 1 ? "" : "s"));
    }

    private static int strip(Graph g) {
        int removed = 0;
        for (Node n : List.copyOf(g.nodes())) {
            if (!NodeMarks.isTrainingOnly(n)) {
                continue;
            }
            Value in = n.input(0);
            if (in == null) {
                throw new IllegalStateException("training-only node " + n + " has no first input to pass through");
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                Value out = n.output(i);
                if (g.outputs().contains(out) || (i > 0 && !out.uses().isEmpty())) {
                    throw new IllegalStateException("training-only node " + n + ": output '" + out.name() + "' is "
                            + (i > 0 ? "read by " + out.consumers() : "a graph output") + "; it cannot be removed");
                }
            }
            n.output(0).replaceAllUsesWith(in);
            List<Value> inputs = List.copyOf(n.inputs());
            g.removeNode(n);
            for (Value v : inputs) {
                Node p = v == null ? null : v.producer();
                if (p != null && p.is("Constant") && v.uses().isEmpty() && !g.outputs().contains(v)) {
                    g.removeNode(p);
                }
            }
            removed++;
        }
        return removed;
    }
}
