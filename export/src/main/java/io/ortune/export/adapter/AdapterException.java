package io.ortune.export.adapter;

import java.util.List;

/**
 * An adapter that cannot be read, written or attached, with every problem found: the source (a folder, a file, a
 * model) and one line per problem naming the key, field or module, what was expected and what was found.
 */
public final class AdapterException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final List<String> issues;

    public AdapterException(String source, List<String> issues) {
        super(message(source, issues));
        this.source = source;
        this.issues = List.copyOf(issues);
    }

    public AdapterException(String source, String issue) {
        this(source, List.of(issue));
    }

    /** The folder, file or model the problems are in. */
    public String source() {
        return source;
    }

    /** One line per problem. */
    public List<String> issues() {
        return issues;
    }

    private static String message(String source, List<String> issues) {
        if (issues.size() == 1) {
            return source + ": " + issues.get(0);
        }
        StringBuilder sb = new StringBuilder(source).append(": ").append(issues.size()).append(" problems");
        for (String i : issues) {
            sb.append("\n  - ").append(i);
        }
        return sb.toString();
    }
}
