package io.ortune.models.generate;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Closed-form checks of each processor on tiny logits, and of the order a config applies them in. */
class LogitsProcessorsTest {

    private static final float NEG_INF = Float.NEGATIVE_INFINITY;
    private static final int[] NO_IDS = {};

    @Test
    void topKKeepsTheKLargest() {
        float[] logits = {1f, 5f, 3f, 4f, 2f};
        new TopK(2).apply(NO_IDS, 0, logits);
        assertThat(logits).containsExactly(NEG_INF, 5f, NEG_INF, 4f, NEG_INF);
    }

    @Test
    void topKKeepsTiesWithTheKthLikeHuggingFace() {
        float[] logits = {3f, 1f, 3f, 5f};
        new TopK(2).apply(NO_IDS, 0, logits);
        assertThat(logits).containsExactly(3f, NEG_INF, 3f, 5f);
    }

    @Test
    void topKAtLeastTheVocabularyChangesNothing() {
        float[] logits = {1f, 2f, 3f};
        new TopK(3).apply(NO_IDS, 0, logits);
        assertThat(logits).containsExactly(1f, 2f, 3f);
        assertThatThrownBy(() -> new TopK(0)).hasMessageContaining("top-k must be >= 1");
    }

    @Test
    void topPKeepsTheSmallestSetReachingP() {
        // probabilities 0.5, 0.25, 0.125, 0.125 (logits are their logs)
        float[] base = {(float) Math.log(0.125), (float) Math.log(0.5), (float) Math.log(0.125),
            (float) Math.log(0.25)};
        assertThat(topP(base, 0.5)).containsExactly(NEG_INF, base[1], NEG_INF, NEG_INF);
        assertThat(topP(base, 0.6)).containsExactly(NEG_INF, base[1], NEG_INF, base[3]);
        assertThat(topP(base, 0.75)).containsExactly(NEG_INF, base[1], NEG_INF, base[3]);
        // 0.8 needs one of the two tied 0.125 tokens: the lower id is kept
        assertThat(topP(base, 0.8)).containsExactly(base[0], base[1], NEG_INF, base[3]);
        assertThat(topP(base, 1.0)).containsExactly(base);
    }

    @Test
    void topPAlwaysKeepsTheMostLikelyToken() {
        float[] logits = {0f, 10f, 0f};
        assertThat(topP(logits, 0.01)).containsExactly(NEG_INF, 10f, NEG_INF);
        assertThatThrownBy(() -> new TopP(0)).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> new TopP(1.5)).hasMessageContaining("(0, 1]");
    }

    @Test
    void topPIgnoresTokensAlreadyRuledOut() {
        float[] logits = {NEG_INF, 0f, 0f, NEG_INF};
        assertThat(topP(logits, 0.9)).containsExactly(NEG_INF, 0f, 0f, NEG_INF);
    }

    private static float[] topP(float[] logits, double p) {
        float[] copy = logits.clone();
        new TopP(p).apply(NO_IDS, 0, copy);
        return copy;
    }

    @Test
    void temperatureDividesEveryLogit() {
        float[] logits = {2f, -4f, 0f, NEG_INF};
        new Temperature(0.5).apply(NO_IDS, 0, logits);
        assertThat(logits).containsExactly(4f, -8f, 0f, NEG_INF);
        assertThatThrownBy(() -> new Temperature(0)).hasMessageContaining("positive");
    }

    @Test
    void repetitionPenaltyDividesPositiveAndMultipliesNegativeLogitsOfSeenIds() {
        float[] logits = {2f, -2f, 3f, -1f, 4f};
        int[] ids = {0, 1, 1, 1, 3, 99};
        new RepetitionPenalty(2.0).apply(ids, 5, logits); // 99 is past length, so not seen
        assertThat(logits).containsExactly(1f, -4f, 3f, -2f, 4f);
    }

    @Test
    void repetitionPenaltyBelowOneEncouragesRepeats() {
        float[] logits = {2f, -2f};
        new RepetitionPenalty(0.5).apply(new int[] {0, 1}, 2, logits);
        assertThat(logits).containsExactly(4f, -1f);
    }

    @Test
    void chainAppliesInOrder() {
        float[] logits = {1f, 2f};
        LogitsProcessor addOne = (ids, n, l) -> l[0] += 1;
        LogitsProcessor twice = (ids, n, l) -> l[0] *= 2;
        LogitsProcessor.chain(List.of(addOne, twice)).apply(NO_IDS, 0, logits);
        assertThat(logits[0]).isEqualTo(4f);
        assertThat(LogitsProcessor.chain(List.of())).isSameAs(LogitsProcessor.IDENTITY);
    }

    @Test
    void configAppliesHuggingFaceOrderAndOnlyPenaltyWhenGreedy() {
        GenerationConfig sampled = GenerationConfig.builder().doSample(true).temperature(0.7).topK(5).topP(0.9)
                .repetitionPenalty(1.3).build();
        assertThat(sampled.processors()).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("RepetitionPenalty", "Temperature", "TopK", "TopP");
        GenerationConfig greedy = sampled.toBuilder().doSample(false).build();
        assertThat(greedy.processors()).extracting(p -> p.getClass().getSimpleName())
                .containsExactly("RepetitionPenalty");
        assertThat(GenerationConfig.greedy(3).processors()).isEmpty();
    }

    @Test
    void configRejectsNonsense() {
        assertThatThrownBy(() -> GenerationConfig.greedy(0)).hasMessageContaining("max new tokens");
        assertThatThrownBy(() -> GenerationConfig.builder().topK(-1).build()).hasMessageContaining("top-k");
        assertThatThrownBy(() -> GenerationConfig.builder().topP(0).build()).hasMessageContaining("top-p");
        assertThatThrownBy(() -> GenerationConfig.builder().temperature(0).build()).hasMessageContaining("temperature");
        assertThatThrownBy(() -> GenerationConfig.builder().repetitionPenalty(-1).build())
                .hasMessageContaining("repetition penalty");
        assertThatThrownBy(() -> GenerationConfig.builder().stopIds(Set.of(-3)).build())
                .hasMessageContaining("stop ids");
    }

    @Test
    void softmaxOfTinyLogits() {
        double[] p = Sampling.softmax(new float[] {0f, (float) Math.log(3), NEG_INF});
        assertThat(p[0]).isCloseTo(0.25, within(1e-7));
        assertThat(p[1]).isCloseTo(0.75, within(1e-7));
        assertThat(p[2]).isZero();
        assertThatThrownBy(() -> Sampling.softmax(new float[] {NEG_INF})).hasMessageContaining("largest value");
        assertThatThrownBy(() -> Sampling.softmax(new float[] {Float.NaN})).hasMessageContaining("NaN");
    }

    @Test
    void argmaxBreaksTiesTowardTheLowestId() {
        assertThat(Sampling.argmax(new float[] {1f, 3f, 3f, 2f})).isEqualTo(1);
        assertThat(Sampling.argmax(new float[] {NEG_INF, NEG_INF})).isZero();
    }
}
