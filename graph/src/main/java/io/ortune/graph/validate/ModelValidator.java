package io.ortune.graph.validate;

import io.ortune.graph.ir.Model;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Checks a model and lists every problem found, each naming the node or value concerned: cycles, inputs read but
 * produced by nothing, graph outputs produced by nothing, duplicate value and node names, an initializer named like
 * a node output, nodes of domains the model does not import (or an opset too old for the op), and the schema checks
 * of the ops {@link io.ortune.graph.build.OpSchemas} knows (input counts, dtype agreement, attributes, shapes).
 * Subgraphs are checked too.
 */
public final class ModelValidator {

    private ModelValidator() {
    }

    public static ValidationReport validate(Model model) {
        List<ValidationIssue> issues = new ArrayList<>();
        ScopeChecks.check(model.graph(), Set.of(), issues);
        NameChecks.check(model.graph(), issues);
        OpChecks.check(model, issues);
        return new ValidationReport(issues);
    }

    /** The report when the model has no errors (it may have warnings); else {@link ValidationException}. */
    public static ValidationReport validateOrThrow(Model model) {
        ValidationReport r = validate(model);
        if (!r.isValid()) {
            throw new ValidationException(r.errors());
        }
        return r;
    }
}
