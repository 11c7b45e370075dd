package io.ortune.training.data;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;

/**
 * A seeded train/eval split: the examples are shuffled with {@code java.util.Random(seed)} (whose sequence the
 * Java specification fixes, so the split is the same on every JVM) and the first {@code round(n × fraction)} go to
 * evaluation, the rest keep their file order for training.
 */
public final class Splits {

    /**
     * The two parts.
     *
     * @param train training examples, in file order
     * @param eval  evaluation examples, in file order
     */
    public record Split(List<Example> train, List<Example> eval) {
        public Split {
            train = List.copyOf(train);
            eval = List.copyOf(eval);
        }
    }

    private Splits() {
    }

    /**
     * Splits off {@code evalFraction} of the examples (at least one when the fraction is positive).
     *
     * @throws IllegalArgumentException when the fraction is outside [0, 1) or nothing would be left to train on
     */
    public static Split split(List<Example> examples, double evalFraction, long seed) {
        if (!(evalFraction >= 0 && evalFraction < 1)) {
            throw new IllegalArgumentException("eval fraction must be in [0, 1), got " + evalFraction);
        }
        int n = examples.size();
        int evalCount = evalFraction == 0 ? 0 : Math.max(1, (int) Math.round(n * evalFraction));
        if (evalCount >= n) {
            throw new IllegalArgumentException("an eval fraction of " + evalFraction + " of " + n
                    + " example(s) leaves nothing to train on");
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            order.add(i);
        }
        Collections.shuffle(order, new Random(seed));
        boolean[] toEval = new boolean[n];
        for (int i = 0; i < evalCount; i++) {
            toEval[order.get(i)] = true;
        }
        List<Example> train = new ArrayList<>();
        List<Example> eval = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            (toEval[i] ? eval : train).add(examples.get(i));
        }
        return new Split(train, eval);
    }
}
