package io.ortune.graph.pass;

import io.ortune.graph.ir.Model;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.graph.validate.ValidationReport;

/** {@code validate}: fails with the list of problems when the model is invalid; changes nothing. */
public final class ValidationPass implements Pass {

    public static final String NAME = "validate";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        ValidationReport r = ModelValidator.validateOrThrow(model);
        int w = r.warnings().size();
        return PassResult.unchanged(model, "model is valid" + (w == 0 ? "" : " (" + w + " warnings: "
                + r.warnings().get(0).message() + (w > 1 ? " ..." : "") + ")"));
    }
}
