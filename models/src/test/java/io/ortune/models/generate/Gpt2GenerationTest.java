package io.ortune.models.generate;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * GPT-2 (learned positions) through the loop, on the gpt2-tiny golden weights: left-padded rows equal their solo
 * runs, the greedy ids equal recomputing the whole sequence with the training graph, and the 16-position limit is
 * enforced before running.
 */
class Gpt2GenerationTest {

    static Model training;

    @BeforeAll
    static void load() throws IOException {
        training = ModelFactory.fromHuggingFace(Stories.golden("gpt2-tiny", "config.json"),
                Stories.golden("gpt2-tiny", "model.safetensors"), Form.TRAINING);
    }

    @Test
    void leftPaddedBatchEqualsSoloRuns() throws IOException {
        List<int[]> prompts = List.of(new int[] {13, 59, 42, 17, 40, 16, 86, 68}, new int[] {21, 76, 8, 82, 6});
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(8).stopOnEos(false).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            List<GenerationResult> batch = g.generate(prompts, config, TokenListener.NONE);
            for (int i = 0; i < prompts.size(); i++) {
                assertThat(batch.get(i).generatedIds()).as("row %d", i)
                        .containsExactly(g.generate(prompts.get(i), config).generatedIds());
            }
        }
    }

    @Test
    void cachedGreedyEqualsFullRecomputation() throws IOException {
        int[] prompt = {21, 76, 8, 82, 6};
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(8).stopOnEos(false).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            assertThat(g.generate(prompt, config).generatedIds())
                    .containsExactly(Recompute.greedy(training, prompt, 8));
        }
    }

    @Test
    void sequencesLongerThanThePositionsAreRefused() throws IOException {
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            assertThat(g.spec().maxPositions()).isEqualTo(16);
            assertThatThrownBy(() -> g.generate(new int[] {1, 2, 3, 4, 5, 6, 7, 8}, GenerationConfig.greedy(9)))
                    .hasMessageContaining("over the model's 16 positions");
        }
    }
}
