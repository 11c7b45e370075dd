package io.ortune.graph.validate;

import java.util.List;
import java.util.stream.Collectors;

/** Every issue {@link ModelValidator} found, errors and warnings, in the order found. */
public record ValidationReport(List<ValidationIssue> issues) {

    public ValidationReport {
        issues = List.copyOf(issues);
    }

    /** No errors (warnings allowed). */
    public boolean isValid() {
        return errors().isEmpty();
    }

    public List<ValidationIssue> errors() {
        return issues.stream().filter(ValidationIssue::isError).toList();
    }

    public List<ValidationIssue> warnings() {
        return issues.stream().filter(i -> !i.isError()).toList();
    }

    public List<ValidationIssue> ofKind(ValidationIssue.Kind kind) {
        return issues.stream().filter(i -> i.kind() == kind).toList();
    }

    @Override
    public String toString() {
        if (issues.isEmpty()) {
            return "model is valid";
        }
        return issues.stream().map(i -> "  - " + i).collect(Collectors.joining("\n",
                errors().size() + " errors, " + warnings().size() + " warnings:\n", ""));
    }
}
