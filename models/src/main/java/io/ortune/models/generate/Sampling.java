package io.ortune.models.generate;

import java.util.SplittableRandom;

/**
 * Picking the next token from processed logits: {@link #argmax} for greedy decoding and {@link #sample} for
 * multinomial sampling, plus the float64 {@link #softmax} both sampling and {@link TopP} use.
 */
public final class Sampling {

    private Sampling() {
    }

    /** The id of the largest logit; ties go to the lowest id (as {@code torch.argmax} and the golden fixtures). */
    public static int argmax(float[] logits) {
        int best = 0;
        float max = logits[0];
        for (int i = 1; i < logits.length; i++) {
            if (logits[i] > max) {
                max = logits[i];
                best = i;
            }
        }
        return best;
    }

    /**
     * Softmax in float64; −∞ logits get probability 0.
     *
     * @throws IllegalArgumentException when no logit is finite or one is NaN
     */
    public static double[] softmax(float[] logits) {
        float max = Float.NEGATIVE_INFINITY;
        for (float x : logits) {
            if (Float.isNaN(x)) {
                throw new IllegalArgumentException("logits contain NaN");
            }
            max = Math.max(max, x);
        }
        if (max == Float.NEGATIVE_INFINITY || max == Float.POSITIVE_INFINITY) {
            throw new IllegalArgumentException("cannot take the softmax of logits whose largest value is " + max);
        }
        double[] p = new double[logits.length];
        double sum = 0;
        for (int i = 0; i < logits.length; i++) {
            double e = logits[i] == Float.NEGATIVE_INFINITY ? 0 : Math.exp((double) logits[i] - max);
            p[i] = e;
            sum += e;
        }
        for (int i = 0; i < p.length; i++) {
            p[i] /= sum;
        }
        return p;
    }

    /**
     * Draws an id from softmax({@code logits}) with one {@code random.nextDouble()} u: the first id (in id order)
     * whose cumulative probability exceeds u. The same logits and generator state always give the same id.
     */
    public static int sample(float[] logits, SplittableRandom random) {
        double[] p = softmax(logits);
        double u = random.nextDouble();
        double cumulative = 0;
        int lastPossible = -1;
        for (int i = 0; i < p.length; i++) {
            if (p[i] == 0) {
                continue;
            }
            lastPossible = i;
            cumulative += p[i];
            if (u < cumulative) {
                return i;
            }
        }
        return lastPossible; // u fell in the rounding gap just below 1
    }
}
