package io.ortune.models.weights;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * A safetensors file (or sharded index) that breaks the format. The message names the file and, for each problem
 * found, the tensor it concerns (if any) and what is wrong, so a user can tell which writer produced a bad file.
 */
public final class SafetensorsFormatException extends IOException {

    /** One problem: the tensor it concerns ({@code null} for file-level problems) and what is wrong. */
    public record Issue(String tensor, String problem) {

        public Issue {
            Objects.requireNonNull(problem, "problem");
        }

        @Override
        public String toString() {
            return tensor == null ? problem : "tensor '" + tensor + "': " + problem;
        }
    }

    private final transient Path file;
    private final List<Issue> issues;

    public SafetensorsFormatException(Path file, List<Issue> issues, Throwable cause) {
        super(message(file, issues), cause);
        if (issues.isEmpty()) {
            throw new IllegalArgumentException("a format exception needs at least one issue");
        }
        this.file = file;
        this.issues = List.copyOf(issues);
    }

    public SafetensorsFormatException(Path file, String tensor, String problem) {
        this(file, List.of(new Issue(tensor, problem)), null);
    }

    public SafetensorsFormatException(Path file, String tensor, String problem, Throwable cause) {
        this(file, List.of(new Issue(tensor, problem)), cause);
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** The tensor of the first problem, or {@code null} when it concerns the whole file. */
    public String tensor() {
        return issues.get(0).tensor();
    }

    /** What is wrong, for the first problem. */
    public String problem() {
        return issues.get(0).problem();
    }

    /** Every problem found (validation keeps going after the first one where it can). */
    public List<Issue> issues() {
        return issues;
    }

    private static String message(Path file, List<Issue> issues) {
        String where = "invalid safetensors file " + file;
        if (issues.size() == 1) {
            return where + ": " + issues.get(0);
        }
        return where + ": " + issues.size() + " problems:\n  "
                + issues.stream().map(Issue::toString).collect(Collectors.joining("\n  "));
    }
}
