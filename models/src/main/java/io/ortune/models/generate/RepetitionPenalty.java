package io.ortune.models.generate;

/**
 * Hugging Face's {@code RepetitionPenaltyLogitsProcessor} (Keskar et al., CTRL): for every id that already occurs
 * in the row (prompt included), a positive logit is divided by the penalty and a negative one multiplied by it, once
 * per id however often it occurs. A penalty above 1 discourages repeats, below 1 encourages them, 1 changes nothing.
 */
public final class RepetitionPenalty implements LogitsProcessor {

    private final float penalty;

    /** @param penalty a positive factor (1 = no change) */
    public RepetitionPenalty(double penalty) {
        if (!(penalty > 0) || Double.isInfinite(penalty)) {
            throw new IllegalArgumentException("repetition penalty must be a positive finite number, got " + penalty);
        }
        this.penalty = (float) penalty;
    }

    @Override
    public void apply(int[] ids, int length, float[] logits) {
        boolean[] seen = new boolean[logits.length];
        for (int i = 0; i < length; i++) {
            int id = ids[i];
            if (id < 0 || id >= logits.length || seen[id]) {
                continue;
            }
            seen[id] = true;
            float x = logits[id];
            logits[id] = x < 0 ? x * penalty : x / penalty;
        }
    }

    @Override
    public String toString() {
        return "RepetitionPenalty[" + penalty + "]";
    }
}
