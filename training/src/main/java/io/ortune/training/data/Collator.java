package io.ortune.training.data;

import java.util.List;

/**
 * Pads rows into a {@link Batch}: right padding to the longest row (or a fixed length), pad id in the ids, 0 in the
 * attention mask, -100 in the labels. With right padding and positions taken from the mask, padding changes neither
 * the loss nor any gradient.
 */
public final class Collator {

    private final int padId;

    /** A collator padding with {@code padId} (any valid id: padded positions are masked and unlabelled). */
    public Collator(int padId) {
        if (padId < 0) {
            throw new IllegalArgumentException("pad id must be >= 0, got " + padId);
        }
        this.padId = padId;
    }

    /** Pads to the longest row. */
    public Batch collate(List<Example> rows) {
        int length = 0;
        for (Example e : rows) {
            length = Math.max(length, e.length());
        }
        return collate(rows, length);
    }

    /** Pads to {@code length} (at least the longest row). */
    public Batch collate(List<Example> rows, int length) {
        if (rows.isEmpty()) {
            throw new IllegalArgumentException("cannot collate an empty batch");
        }
        int n = rows.size();
        long[] ids = new long[n * length];
        long[] mask = new long[n * length];
        long[] labels = new long[n * length];
        for (int r = 0; r < n; r++) {
            Example e = rows.get(r);
            if (e.length() > length) {
                throw new IllegalArgumentException("row " + r + " has " + e.length() + " tokens, over the batch length "
                        + length);
            }
            int base = r * length;
            for (int t = 0; t < length; t++) {
                boolean real = t < e.length();
                ids[base + t] = real ? e.inputIds()[t] : padId;
                mask[base + t] = real ? 1 : 0;
                labels[base + t] = real ? e.labels()[t] : Example.IGNORE;
            }
        }
        return new Batch(n, length, ids, mask, labels);
    }
}
