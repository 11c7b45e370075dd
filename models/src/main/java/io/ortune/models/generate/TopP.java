package io.ortune.models.generate;

import java.util.Arrays;

/**
 * Nucleus filtering (Holtzman et al.; Hugging Face's {@code TopPLogitsWarper}): keeps the smallest set of most
 * probable tokens whose probabilities (softmax of the logits as they are at this point, so after temperature and
 * top-k) add up to at least {@code p}, and rules out the rest. The most probable token is always kept; {@code p = 1}
 * changes nothing. Probabilities are summed in float64; among tokens tied at the cut the lowest ids are kept.
 */
public final class TopP implements LogitsProcessor {

    private final double p;

    /** @param p the probability mass to keep, in (0, 1] */
    public TopP(double p) {
        if (!(p > 0 && p <= 1)) {
            throw new IllegalArgumentException("top-p must be in (0, 1], got " + p);
        }
        this.p = p;
    }

    @Override
    public void apply(int[] ids, int length, float[] logits) {
        if (p >= 1.0) {
            return;
        }
        double[] probs = Sampling.softmax(logits);
        double[] sorted = probs.clone();
        Arrays.sort(sorted);
        double mass = 0;
        double cut = sorted[sorted.length - 1];
        int tiedAtCut = 0;
        for (int i = sorted.length - 1; i >= 0; i--) {
            if (sorted[i] != cut) {
                cut = sorted[i];
                tiedAtCut = 0;
            }
            tiedAtCut++;
            mass += sorted[i];
            if (mass >= p || i == 0 || sorted[i - 1] == 0) {
                break;
            }
        }
        for (int i = 0; i < logits.length; i++) {
            boolean keep = probs[i] > cut || (probs[i] == cut && tiedAtCut-- > 0);
            if (!keep) {
                logits[i] = Float.NEGATIVE_INFINITY;
            }
        }
    }

    @Override
    public String toString() {
        return "TopP[" + p + "]";
    }
}
