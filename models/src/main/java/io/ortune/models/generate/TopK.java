package io.ortune.models.generate;

import java.util.Arrays;

/**
 * Keeps the {@code k} largest logits and rules out the rest (Hugging Face's {@code TopKLogitsWarper}): every logit
 * below the k-th largest becomes −∞, so logits tied with the k-th largest are all kept, as in Hugging Face. A
 * {@code k} at least the vocabulary size changes nothing.
 */
public final class TopK implements LogitsProcessor {

    private final int k;

    /** @param k how many tokens to keep, at least 1 */
    public TopK(int k) {
        if (k < 1) {
            throw new IllegalArgumentException("top-k must be >= 1, got " + k);
        }
        this.k = k;
    }

    @Override
    public void apply(int[] ids, int length, float[] logits) {
        if (k >= logits.length) {
            return;
        }
        float threshold = kthLargest(logits, k);
        for (int i = 0; i < logits.length; i++) {
            if (logits[i] < threshold) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    /** The k-th largest value (1-based) of {@code values}. */
    static float kthLargest(float[] values, int k) {
        float[] sorted = values.clone();
        Arrays.sort(sorted);
        return sorted[sorted.length - k];
    }

    @Override
    public String toString() {
        return "TopK[" + k + "]";
    }
}
