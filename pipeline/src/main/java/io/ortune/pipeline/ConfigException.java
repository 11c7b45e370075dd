package io.ortune.pipeline;

import java.util.List;

/**
 * A {@code pipeline.yaml} that cannot run: every problem found, each naming its key and line, before any stage ran
 * and before anything was written.
 */
public final class ConfigException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    /**
     * One problem.
     *
     * @param key     the key it is about ({@code train.lr}), or empty for the whole file
     * @param where   {@code line 12, column 3}, or empty when unknown
     * @param message what is wrong and what would be right
     */
    public record Issue(String key, String where, String message) {
        @Override
        public String toString() {
            String at = where.isEmpty() ? "" : where + ": ";
            return at + (key.isEmpty() ? "" : key + ": ") + message;
        }
    }

    private final String source;
    private final transient List<Issue> issues;

    ConfigException(String source, List<Issue> issues) {
        super(format(source, issues));
        this.source = source;
        this.issues = List.copyOf(issues);
    }

    /** The config file (or bundled name) the issues are about. */
    public String source() {
        return source;
    }

    public List<Issue> issues() {
        return issues;
    }

    private static String format(String source, List<Issue> issues) {
        if (issues.size() == 1) {
            return source + ": " + issues.get(0);
        }
        StringBuilder b = new StringBuilder(source).append(": ").append(issues.size()).append(" problems");
        for (Issue i : issues) {
            b.append("\n  ").append(i);
        }
        return b.toString();
    }
}
