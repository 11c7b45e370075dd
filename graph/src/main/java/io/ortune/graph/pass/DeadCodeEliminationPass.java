package io.ortune.graph.pass;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Model;

/** {@code dce}: removes nodes no graph output depends on, then initializers nothing reads. */
public final class DeadCodeEliminationPass implements Pass {

    public static final String NAME = "dce";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        DeadCodeElimination.Result r = DeadCodeElimination.run(copy.graph());
        if (!r.changed()) {
            return PassResult.unchanged(model);
        }
        return PassResult.changed(copy, "removed " + plural(r.nodes(), "dead node") + " and "
                + plural(r.initializers(), "unused initializer"));
    }

    static String plural(int n, String what) {
        return n + " " + what + (n == 1 ? "" : "s");
    }
}
