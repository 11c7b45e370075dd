package io.ortune.training.data;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Turns examples into training rows: {@link Layout#PACK} concatenates them (in order) and cuts the stream into
 * rows of exactly the block size, as Hugging Face's {@code group_texts} does (an example may span two rows, and
 * examples sharing a row attend to each other); {@link Layout#PAD} keeps one example per row, to be padded with an
 * attention mask by the {@link Collator}.
 */
public final class Rows {

    /** How examples become rows. */
    public enum Layout {
        /** Full blocks of concatenated examples; only the last row may be shorter. */
        PACK,
        /** One example per row, padded per batch. */
        PAD;

        /** The layout spelled {@code name} (pack or pad, case-insensitive). */
        public static Layout parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown row layout '" + name + "' (known: pack, pad)", e);
            }
        }
    }

    private Rows() {
    }

    /** Rows for {@code layout}. */
    public static List<Example> of(List<Example> examples, Layout layout, int blockSize) {
        return layout == Layout.PACK ? pack(examples, blockSize) : List.copyOf(examples);
    }

    /**
     * Concatenates the examples and cuts rows of {@code blockSize}; a shorter last row is kept when it has a
     * labelled target.
     */
    public static List<Example> pack(List<Example> examples, int blockSize) {
        if (blockSize < 2) {
            throw new IllegalArgumentException("block size must be >= 2, got " + blockSize);
        }
        List<Example> rows = new ArrayList<>();
        int[] ids = new int[blockSize];
        int[] labels = new int[blockSize];
        int fill = 0;
        for (Example e : examples) {
            int[] src = e.inputIds();
            int[] lab = e.labels();
            int pos = 0;
            while (pos < src.length) {
                int n = Math.min(blockSize - fill, src.length - pos);
                System.arraycopy(src, pos, ids, fill, n);
                System.arraycopy(lab, pos, labels, fill, n);
                fill += n;
                pos += n;
                if (fill == blockSize) {
                    addRow(rows, ids, labels, fill);
                    fill = 0;
                }
            }
        }
        if (fill >= 2) {
            addRow(rows, ids, labels, fill);
        }
        return rows;
    }

    private static void addRow(List<Example> rows, int[] ids, int[] labels, int n) {
        Example row = new Example(Arrays.copyOf(ids, n), Arrays.copyOf(labels, n));
        if (row.labelledTargets() > 0) {
            rows.add(row);
        }
    }
}
