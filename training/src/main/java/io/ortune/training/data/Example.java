package io.ortune.training.data;

import java.util.Arrays;

/**
 * One training sequence: token ids and, position by position, the label the loss sees (Hugging Face convention:
 * labels are given before the shift, usually equal to the ids; {@value #IGNORE} means no loss at that position).
 * The arrays are owned by the example; do not modify them.
 *
 * @param inputIds token ids, at least one
 * @param labels   labels, as long as {@code inputIds}
 */
public record Example(int[] inputIds, int[] labels) {

    /** The ignored label. */
    public static final int IGNORE = -100;

    public Example {
        if (inputIds.length == 0) {
            throw new IllegalArgumentException("an example needs at least one token");
        }
        if (labels.length != inputIds.length) {
            throw new IllegalArgumentException("labels (" + labels.length + ") and input ids (" + inputIds.length
                    + ") differ in length");
        }
    }

    /** An example with loss on every token (labels = ids). */
    public static Example causal(int[] ids) {
        return new Example(ids, ids.clone());
    }

    public int length() {
        return inputIds.length;
    }

    /** Positions after the first whose label is not ignored: the tokens this example adds to the loss. */
    public int labelledTargets() {
        int n = 0;
        for (int i = 1; i < labels.length; i++) {
            if (labels[i] != IGNORE) {
                n++;
            }
        }
        return n;
    }

    /** The first {@code n} positions. */
    public Example truncate(int n) {
        return n >= length() ? this : new Example(Arrays.copyOf(inputIds, n), Arrays.copyOf(labels, n));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Example e && Arrays.equals(inputIds, e.inputIds) && Arrays.equals(labels, e.labels);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(inputIds) + Arrays.hashCode(labels);
    }

    @Override
    public String toString() {
        return "Example[" + length() + " tokens, " + labelledTargets() + " labelled]";
    }
}
