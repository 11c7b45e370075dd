package io.ortune.graph.pass;

import static io.ortune.graph.pass.DeadCodeEliminationPass.plural;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.TypeInference;
import io.ortune.graph.ir.Model;

/**
 * {@code infer-shapes}: fills in missing output types of the ops {@link io.ortune.graph.build.OpSchemas} knows
 * (see {@link TypeInference}); declared types win. Nodes failing their schema check are skipped and counted (run
 * {@code validate} to see why).
 */
public final class ShapeInferencePass implements Pass {

    public static final String NAME = "infer-shapes";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        TypeInference.Result r = TypeInference.refine(copy);
        String skipped = r.failedNodes() == 0 ? ""
                : "skipped " + plural(r.failedNodes(), "node") + " failing its checks";
        if (r.refined() == 0) {
            return skipped.isEmpty() ? PassResult.unchanged(model) : PassResult.unchanged(model, skipped);
        }
        return PassResult.changed(copy, "inferred types of " + plural(r.refined(), "value")
                + (skipped.isEmpty() ? "" : "; " + skipped));
    }
}
