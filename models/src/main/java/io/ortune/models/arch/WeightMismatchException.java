package io.ortune.models.arch;

import java.util.List;

/**
 * Weights that do not fit an architecture: tensors it needs that are missing, tensors it does not know, and
 * tensors with the wrong shape or dtype. Every list names the tensors; the message shows them all (up to 20 per
 * list).
 */
public final class WeightMismatchException extends RuntimeException {

    /** A tensor whose shape or dtype is not what the architecture needs. */
    public record Mismatch(String name, String problem) {
        @Override
        public String toString() {
            return name + ": " + problem;
        }
    }

    private static final int SHOWN = 20;

    private final String source;
    private final List<String> missing;
    private final List<String> unexpected;
    private final List<Mismatch> mismatched;

    public WeightMismatchException(String source, String architecture, List<String> missing, List<String> unexpected,
                                   List<Mismatch> mismatched) {
        super(message(source, architecture, missing, unexpected, mismatched));
        this.source = source;
        this.missing = List.copyOf(missing);
        this.unexpected = List.copyOf(unexpected);
        this.mismatched = List.copyOf(mismatched);
    }

    private static String message(String source, String architecture, List<String> missing, List<String> unexpected,
                                  List<Mismatch> mismatched) {
        StringBuilder m = new StringBuilder("the weights in " + source + " do not fit the " + architecture
                + " architecture built from its config:");
        section(m, "missing", missing);
        section(m, "unexpected", unexpected);
        section(m, "wrong shape or dtype", mismatched);
        return m.toString();
    }

    private static void section(StringBuilder m, String title, List<?> items) {
        if (items.isEmpty()) {
            return;
        }
        m.append("\n  ").append(title).append(" (").append(items.size()).append("):");
        for (int i = 0; i < Math.min(SHOWN, items.size()); i++) {
            m.append("\n    ").append(items.get(i));
        }
        if (items.size() > SHOWN) {
            m.append("\n    ... and ").append(items.size() - SHOWN).append(" more");
        }
    }

    /** Where the weights came from. */
    public String source() {
        return source;
    }

    /** Names the architecture needs that the source lacks. */
    public List<String> missing() {
        return missing;
    }

    /** Names the source has that the architecture does not use (and does not knowingly ignore). */
    public List<String> unexpected() {
        return unexpected;
    }

    /** Tensors present with the wrong shape or dtype. */
    public List<Mismatch> mismatched() {
        return mismatched;
    }
}
