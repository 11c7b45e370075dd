package io.ortune.graph.pass;

import static io.ortune.graph.pass.DeadCodeEliminationPass.plural;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * {@code identity-elimination}: readers of an Identity's output read its input instead. An Identity producing a
 * graph output goes only when its input can take the output's name (a node output of the same graph that is not
 * itself a graph output); otherwise it stays, since graph outputs keep their names.
 */
public final class IdentityEliminationPass implements Pass {

    public static final String NAME = "identity-elimination";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        int removed = 0;
        for (Graph g : GraphWalk.graphs(copy.graph())) {
            removed += eliminate(g);
        }
        if (removed == 0) {
            return PassResult.unchanged(model);
        }
        return PassResult.changed(copy, "removed " + plural(removed, "Identity node"));
    }

    private static int eliminate(Graph g) {
        int removed = 0;
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.is("Identity") || n.inputCount() != 1 || n.input(0) == null || n.outputs().size() != 1) {
                continue;
            }
            Value in = n.input(0);
            Value out = n.output(0);
            int outIndex = g.outputs().indexOf(out);
            if (outIndex >= 0 && !canTakeName(g, in)) {
                continue;
            }
            out.replaceAllUsesWith(in);
            g.removeNode(n);
            g.valueInfos().remove(out);
            if (outIndex >= 0) {
                if (in.type() == null) {
                    in.setType(out.type());
                }
                in.setName(out.name());
            }
            removed++;
        }
        return removed;
    }

    private static boolean canTakeName(Graph g, Value in) {
        return in.producer() != null && in.producer().graph() == g && !g.outputs().contains(in);
    }
}
