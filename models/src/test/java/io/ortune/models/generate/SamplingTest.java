package io.ortune.models.generate;

import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/** Multinomial sampling: reproducible from the seed, never picks a ruled-out token, follows the probabilities. */
class SamplingTest {

    @Test
    void sameSeedSameDraws() {
        float[] logits = {0.1f, 1.5f, -0.3f, 0.9f, 0.0f};
        int[] a = draws(logits, 42, 200);
        int[] b = draws(logits, 42, 200);
        assertThat(a).isEqualTo(b);
        assertThat(draws(logits, 43, 200)).isNotEqualTo(a);
    }

    @Test
    void neverPicksRuledOutTokens() {
        float[] logits = {Float.NEGATIVE_INFINITY, 0f, Float.NEGATIVE_INFINITY, 0f};
        for (int id : draws(logits, 1, 500)) {
            assertThat(id).isIn(1, 3);
        }
    }

    @Test
    void frequenciesFollowTheProbabilities() {
        // p = 0.1, 0.2, 0.7; with n = 20000 the standard error of each frequency is below 0.0033, so 0.015 is > 4.5 sigma
        float[] logits = {(float) Math.log(0.1), (float) Math.log(0.2), (float) Math.log(0.7)};
        int n = 20000;
        int[] counts = new int[3];
        for (int id : draws(logits, 7, n)) {
            counts[id]++;
        }
        assertThat(counts[0] / (double) n).isBetween(0.085, 0.115);
        assertThat(counts[1] / (double) n).isBetween(0.185, 0.215);
        assertThat(counts[2] / (double) n).isBetween(0.685, 0.715);
    }

    private static int[] draws(float[] logits, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = Sampling.sample(logits, r);
        }
        return out;
    }
}
