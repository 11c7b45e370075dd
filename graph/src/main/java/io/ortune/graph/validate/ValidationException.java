package io.ortune.graph.validate;

import java.util.List;

/** A model that failed validation; carries every error found (the message lists up to 20). */
public final class ValidationException extends RuntimeException {

    private static final long serialVersionUID = 1L;
    private static final int LISTED = 20;

    private final transient List<ValidationIssue> issues;

    public ValidationException(List<ValidationIssue> issues) {
        super(describe(issues));
        this.issues = List.copyOf(issues);
    }

    public List<ValidationIssue> issues() {
        return issues;
    }

    private static String describe(List<ValidationIssue> issues) {
        StringBuilder sb = new StringBuilder("invalid model: " + issues.size()
                + (issues.size() == 1 ? " problem" : " problems"));
        for (int i = 0; i < Math.min(LISTED, issues.size()); i++) {
            sb.append("\n  - ").append(issues.get(i).message());
        }
        if (issues.size() > LISTED) {
            sb.append("\n  ... and ").append(issues.size() - LISTED).append(" more");
        }
        return sb.toString();
    }
}
