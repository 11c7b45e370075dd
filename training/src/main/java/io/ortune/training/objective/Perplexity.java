package io.ortune.training.objective;

/**
 * Token-weighted perplexity over evaluation batches: {@code exp(Σ loss_b · n_b / Σ n_b)}, where {@code loss_b} is
 * a batch's mean cross-entropy and {@code n_b} the number of labelled tokens it averaged over. Batches of different
 * sizes therefore count by their tokens, as if the whole evaluation set were one batch. Mutable; not thread-safe.
 */
public final class Perplexity {

    private double weightedLoss;
    private long tokens;

    /** Adds a batch's mean loss over {@code labelledTokens} tokens (a batch with none is ignored). */
    public void add(double meanLoss, long labelledTokens) {
        if (labelledTokens < 0) {
            throw new IllegalArgumentException("token count must be >= 0, got " + labelledTokens);
        }
        if (labelledTokens == 0) {
            return;
        }
        weightedLoss += meanLoss * labelledTokens;
        tokens += labelledTokens;
    }

    /** Labelled tokens seen. */
    public long tokens() {
        return tokens;
    }

    /** Mean loss per labelled token; NaN before any token. */
    public double meanLoss() {
        return tokens == 0 ? Double.NaN : weightedLoss / tokens;
    }

    /** {@code exp(meanLoss())}; NaN before any token. */
    public double perplexity() {
        return Math.exp(meanLoss());
    }

    /** Perplexity of a mean loss. */
    public static double of(double meanLoss) {
        return Math.exp(meanLoss);
    }
}
