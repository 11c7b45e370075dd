package io.ortune.training.data;

import java.util.Arrays;

/**
 * One preference pair as the model sees it: the chosen and the rejected sequence, each the prompt's tokens followed by
 * the response's (tokenized separately, as TRL does).
 *
 * <p>The trainer walks {@link Example}s, so a pair travels as one: {@link #toExample()} puts the chosen sequence
 * then the rejected one in {@code inputIds}, with label {@value #CHOSEN} on the chosen positions and
 * {@value #REJECTED} on the rejected ones; {@link #of(Example)} takes it apart again.
 *
 * @param chosen   prompt + chosen response, at least one token
 * @param rejected prompt + rejected response, at least one token
 */
public record PreferencePair(int[] chosen, int[] rejected) {

    /** Label of a chosen position in {@link #toExample()}. */
    public static final int CHOSEN = 0;
    /** Label of a rejected position in {@link #toExample()}. */
    public static final int REJECTED = 1;

    public PreferencePair {
        if (chosen.length == 0 || rejected.length == 0) {
            throw new IllegalArgumentException("a preference pair needs at least one token in each sequence (chosen "
                    + chosen.length + ", rejected " + rejected.length + ")");
        }
    }

    /** The pair as one example: chosen ids then rejected ids, labelled {@value #CHOSEN} / {@value #REJECTED}. */
    public Example toExample() {
        int[] ids = new int[chosen.length + rejected.length];
        int[] labels = new int[ids.length];
        System.arraycopy(chosen, 0, ids, 0, chosen.length);
        System.arraycopy(rejected, 0, ids, chosen.length, rejected.length);
        Arrays.fill(labels, chosen.length, labels.length, REJECTED);
        return new Example(ids, labels);
    }

    /**
     * The pair packed by {@link #toExample()}.
     *
     * @throws IllegalArgumentException when the example's labels are not {@value #CHOSEN}s followed by
     *                                  {@value #REJECTED}s, both present
     */
    public static PreferencePair of(Example e) {
        int[] labels = e.labels();
        int split = 0;
        while (split < labels.length && labels[split] == CHOSEN) {
            split++;
        }
        for (int i = split; i < labels.length; i++) {
            if (labels[i] != REJECTED) {
                throw new IllegalArgumentException("not a packed preference pair: label " + labels[i] + " at position "
                        + i + " (expected " + CHOSEN + "s then " + REJECTED + "s)");
            }
        }
        if (split == 0 || split == labels.length) {
            throw new IllegalArgumentException("not a packed preference pair: " + split + " chosen and "
                    + (labels.length - split) + " rejected positions");
        }
        return new PreferencePair(Arrays.copyOf(e.inputIds(), split),
                Arrays.copyOfRange(e.inputIds(), split, labels.length));
    }

    /** The longer of the two sequences. */
    public int maxLength() {
        return Math.max(chosen.length, rejected.length);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PreferencePair p && Arrays.equals(chosen, p.chosen) && Arrays.equals(rejected, p.rejected);
    }

    @Override
    public int hashCode() {
        return 31 * Arrays.hashCode(chosen) + Arrays.hashCode(rejected);
    }

    @Override
    public String toString() {
        return "PreferencePair[chosen " + chosen.length + ", rejected " + rejected.length + " tokens]";
    }
}
