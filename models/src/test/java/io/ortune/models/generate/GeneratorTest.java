package io.ortune.models.generate;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelForms;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The generation loop on stories260K against the PyTorch golden greedy continuation (computed without a cache, by
 * full recomputation), in both model forms and from a file; batching with left padding; stops; seeded sampling.
 */
class GeneratorTest {

    static Model training;
    static int[] prompt;
    static int[] golden;

    @TempDir
    Path dir;

    @BeforeAll
    static void load() throws IOException {
        training = ModelFactory.fromLlama2c(Stories.checkpoint(), Form.TRAINING);
        prompt = Stories.prompt();
        golden = Stories.generated();
    }

    @Test
    void greedyFromTheTrainingFormEqualsTheGoldenContinuation() throws IOException {
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            assertThat(g.eosIds()).containsExactly(2);
            GenerationResult r = g.generate(prompt, GenerationConfig.greedy(golden.length));
            assertThat(r.generatedIds()).as("greedy ids, token for token").containsExactly(golden);
            assertThat(r.stopReason()).isEqualTo(StopReason.MAX_NEW_TOKENS);
            assertThat(r.promptIds()).containsExactly(prompt);
            assertThat(r.decodeSteps()).isEqualTo(golden.length - 1);
            assertThat(r.prefillMs()).isPositive();
            assertThat(r.decodeTokensPerSecond()).isPositive();
        }
    }

    @Test
    void greedyFromAKvCacheFileStreamsEveryToken() throws IOException {
        Path file = dir.resolve("kv.onnx");
        OnnxWriter.write(ModelForms.toKvCache(training), file);
        List<Integer> streamed = new ArrayList<>();
        List<StopReason> finished = new ArrayList<>();
        TokenListener listener = new TokenListener() {
            @Override
            public void onToken(int row, int token) {
                assertThat(row).isZero();
                streamed.add(token);
            }

            @Override
            public void onFinish(int row, StopReason reason) {
                finished.add(reason);
            }
        };
        try (Generator g = Generator.open(file, Stories.OPTIONS)) {
            GenerationResult r = g.generate(prompt, GenerationConfig.greedy(golden.length), listener);
            assertThat(r.generatedIds()).containsExactly(golden);
        }
        assertThat(streamed).containsExactlyElementsOf(Arrays.stream(golden).boxed().toList());
        assertThat(finished).containsExactly(StopReason.MAX_NEW_TOKENS);
    }

    @Test
    void leftPaddedBatchGivesEachRowItsOwnGreedyIds() throws IOException {
        List<int[]> prompts = List.of(prompt, new int[] {1, 403, 407}, new int[] {1, 260});
        GenerationConfig config = GenerationConfig.greedy(24);
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            List<GenerationResult> batch = g.generate(prompts, config, TokenListener.NONE);
            for (int i = 0; i < prompts.size(); i++) {
                GenerationResult alone = g.generate(prompts.get(i), config);
                assertThat(batch.get(i).generatedIds()).as("row %d", i).containsExactly(alone.generatedIds());
                assertThat(batch.get(i).batchSize()).isEqualTo(3);
            }
            assertThat(batch.get(0).generatedIds()).containsExactly(Arrays.copyOf(golden, 24));
        }
    }

    @Test
    void userStopIdEndsTheRowAndIsKept() throws IOException {
        int stop = golden[7];
        assertThat(Arrays.copyOf(golden, 7)).doesNotContain(stop);
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(40).stopIds(Set.of(stop)).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            GenerationResult r = g.generate(prompt, config);
            assertThat(r.generatedIds()).containsExactly(Arrays.copyOf(golden, 8));
            assertThat(r.stopReason()).isEqualTo(StopReason.STOP_TOKEN);
        }
    }

    @Test
    void batchRowsStopIndependently() throws IOException {
        int stop = golden[7];
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(12).stopIds(Set.of(stop)).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            int[] other = {1, 260};
            int[] otherAlone = g.generate(other, config).generatedIds();
            List<GenerationResult> rs = g.generate(List.of(prompt, other), config, TokenListener.NONE);
            assertThat(rs.get(0).generatedIds()).containsExactly(Arrays.copyOf(golden, 8));
            assertThat(rs.get(1).generatedIds()).containsExactly(otherAlone);
        }
    }

    @Test
    void seededSamplingIsReproducible() throws IOException {
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(30).doSample(true).temperature(1.2)
                .topK(40).topP(0.95).seed(1234).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            int[] first = g.generate(prompt, config).generatedIds();
            int[] again = g.generate(prompt, config).generatedIds();
            assertThat(again).containsExactly(first);
            Set<List<Integer>> distinct = new HashSet<>();
            for (long seed = 0; seed < 4; seed++) {
                int[] ids = g.generate(prompt, config.toBuilder().seed(seed).build()).generatedIds();
                distinct.add(Arrays.stream(ids).boxed().toList());
            }
            assertThat(distinct).as("different seeds give different samples").hasSizeGreaterThan(1);
        }
    }

    @Test
    void repetitionPenaltyChangesTheGreedyPath() throws IOException {
        GenerationConfig config = GenerationConfig.builder().maxNewTokens(golden.length).repetitionPenalty(1.5).build();
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            assertThat(g.generate(prompt, config).generatedIds()).isNotEqualTo(golden);
        }
    }

    @Test
    void promptsOutsideTheVocabularyOrEmptyAreRefused() throws IOException {
        try (Generator g = Generator.of(training, Stories.OPTIONS)) {
            assertThatThrownBy(() -> g.generate(new int[] {1, 600}, GenerationConfig.greedy(2)))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("id 600 at position 1 is outside the model's vocabulary [0, 512)");
            assertThatThrownBy(() -> g.generate(new int[0], GenerationConfig.greedy(2)))
                    .hasMessageContaining("the prompt is empty");
        }
    }

    @Test
    void aKvShapedModelWithoutOrtuneMetadataStillGenerates() throws IOException {
        Model kv = ModelForms.toKvCache(training);
        kv.metadataProps().clear();
        Path file = dir.resolve("foreign-kv.onnx");
        OnnxWriter.write(kv, file);
        try (Generator g = Generator.open(file, Stories.OPTIONS)) {
            assertThat(g.spec().layers()).isEqualTo(5);
            assertThat(g.eosIds()).isEmpty();
            assertThat(g.generate(prompt, GenerationConfig.greedy(golden.length)).generatedIds())
                    .containsExactly(golden);
        }
    }

    @Test
    void aModelNeitherOrtuneBuiltNorKvShapedIsRefusedClearly() throws IOException {
        Model plain = ModelFactory.fromLlama2c(Stories.checkpoint(), Form.TRAINING);
        plain.metadataProps().clear();
        Path file = dir.resolve("plain.onnx");
        OnnxWriter.write(plain, file);
        assertThatThrownBy(() -> Generator.open(file, Stories.OPTIONS))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("was not built by ortune")
                .hasMessageContaining("not KV-cache shaped")
                .hasMessageContaining("no input 'past_key_values.0.key'");
    }
}
