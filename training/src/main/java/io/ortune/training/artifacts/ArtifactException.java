package io.ortune.training.artifacts;

import java.util.List;

/** Training artifacts cannot be built from the given model; {@link #issues()} lists every problem found. */
public final class ArtifactException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> issues;

    public ArtifactException(String context, List<String> issues) {
        super(context + ": " + issues.size() + (issues.size() == 1 ? " problem" : " problems") + "\n  - "
                + String.join("\n  - ", issues));
        this.issues = List.copyOf(issues);
    }

    public List<String> issues() {
        return issues;
    }
}
