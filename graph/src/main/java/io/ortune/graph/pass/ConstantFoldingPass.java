package io.ortune.graph.pass;

import static io.ortune.graph.pass.DeadCodeEliminationPass.plural;

import io.ortune.graph.analysis.ConstantFolder;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.TypeInference;
import io.ortune.graph.ir.Model;

/**
 * {@code fold-constants}: evaluates shape computations over constants and static shapes (see
 * {@link ConstantFolder}) and replaces them with Constant nodes, then refines the types downstream (a Reshape to a
 * folded shape gets its exact output shape). Initializers left unread are for {@code dce}.
 */
public final class ConstantFoldingPass implements Pass {

    public static final String NAME = "fold-constants";

    private final long maxElements;

    public ConstantFoldingPass() {
        this(ConstantFolder.DEFAULT_MAX_ELEMENTS);
    }

    /** Folds only where inputs and results have at most {@code maxElements} elements. */
    public ConstantFoldingPass(long maxElements) {
        this.maxElements = maxElements;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        Model copy = GraphCopier.copy(model);
        ConstantFolder.Result r = ConstantFolder.fold(copy.graph(), maxElements);
        if (!r.changed()) {
            return PassResult.unchanged(model);
        }
        TypeInference.Result t = TypeInference.refine(copy);
        return PassResult.changed(copy, "folded " + plural(r.foldedNodes(), "node") + " into "
                + plural(r.constants(), "constant") + (t.refined() == 0 ? ""
                : "; refined the types of " + plural(t.refined(), "value")));
    }
}
