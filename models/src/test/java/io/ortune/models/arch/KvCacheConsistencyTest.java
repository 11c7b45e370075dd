package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.models.config.ModelConfig;

import java.util.Arrays;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The KV-cache graph, decoding token by token, in chunks (prefill 3, then 1 at a time) and all at once, gives the
 * training graph's whole-sequence logits; batch 2, row 1 left-padded by 3. And a left-padded row gives the logits of
 * its real tokens run alone.
 */
class KvCacheConsistencyTest {

    private static final long[][] IDS = {{5, 17, 3, 22, 9, 31, 2, 14}, {0, 0, 0, 12, 7, 25, 19, 4}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}, {0, 0, 0, 1, 1, 1, 1, 1}};

    static Stream<Arguments> decoders() {
        return Stream.of(
                Arguments.of("gpt2", TinyConfigs.gpt2()),
                Arguments.of("llama gqa", TinyConfigs.llamaGqa()),
                Arguments.of("llama biases, head_dim 12, tied", TinyConfigs.llamaBiasedTied()),
                Arguments.of("qwen2", TinyConfigs.qwen2()),
                Arguments.of("mistral window 3", TinyConfigs.mistral(3, 2)),
                Arguments.of("llama rope linear", TinyConfigs.llama("\"num_attention_heads\":4,"
                        + "\"rope_scaling\":{\"rope_type\":\"linear\",\"factor\":4.0}")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void kvCacheDecodingMatchesWholeSequence(String name, ModelConfig config) {
        Model training = ModelFactory.build(config, TestWeights.source(config, 7), Form.TRAINING);
        Model kv = ModelForms.toKvCache(training);
        int vocab = config.vocabSize();
        float[] whole = Sessions.run(training, Sessions.idsAndMask(IDS, MASK)).get(ModelIo.LOGITS).toFloats();
        long[][] positions = Sessions.positions(MASK);
        boolean[] real = Logits.flags(MASK);
        int[][] schedules = {{1, 1, 1, 1, 1, 1, 1, 1}, {3, 1, 1, 1, 1, 1}, {8}};
        for (int[] chunks : schedules) {
            float[] decoded;
            try (KvDecoder d = GoldenParityTest.decoder(kv, config, 2)) {
                decoded = d.decode(IDS, MASK, positions, vocab, chunks);
            }
            Logits.assertClose(name + ", chunks " + Arrays.toString(chunks), decoded, whole, vocab, real,
                    Logits.SAME_MATH);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("decoders")
    void leftPaddedRowEqualsItsTokensAlone(String name, ModelConfig config) {
        Model training = ModelFactory.build(config, TestWeights.source(config, 7), Form.TRAINING);
        int vocab = config.vocabSize();
        float[] batch = Sessions.run(training, Sessions.idsAndMask(IDS, MASK)).get(ModelIo.LOGITS).toFloats();
        long[][] alone = {Arrays.copyOfRange(IDS[1], 3, 8)};
        long[][] ones = {{1, 1, 1, 1, 1}};
        float[] single = Sessions.run(training, Sessions.idsAndMask(alone, ones)).get(ModelIo.LOGITS).toFloats();
        float[] paddedRealSlots = Arrays.copyOfRange(batch, (8 + 3) * vocab, 16 * vocab);
        Logits.assertClose(name + ": padded row vs alone", paddedRealSlots, single, vocab, null, Logits.SAME_MATH);
    }
}
