package io.ortune.training.data;

import java.util.Locale;

/** How a few-shot recipe picks its k demonstrations for a query. */
public enum FewShotSelection {
    /** k distinct support records drawn uniformly with a seeded generator. */
    RANDOM,
    /** The k support records whose words overlap the query's most (Jaccard similarity; ties: earlier record first). */
    SIMILAR;

    /** The selection spelled {@code name} (random or similar, case-insensitive). */
    public static FewShotSelection parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown few-shot selection '" + name + "' (known: random, similar)", e);
        }
    }
}
