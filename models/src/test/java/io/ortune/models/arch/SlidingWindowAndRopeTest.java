package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.llama.Rope;
import io.ortune.models.config.LlamaConfig;

import java.util.Arrays;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Closed-form checks of what the golden fixtures do not cover: Mistral's sliding window (locality on a 1-layer
 * model), dynamic NTK RoPE (equal to plain RoPE with the enlarged base), and the Java-computed inverse
 * frequencies against the values the fixture READMEs state.
 */
class SlidingWindowAndRopeTest {

    private static final long[][] IDS = {{5, 17, 3, 22, 9, 31, 2, 14}};
    private static final long[][] MASK = {{1, 1, 1, 1, 1, 1, 1, 1}};

    private static float[] logits(Model m, long[][] ids) {
        return Sessions.run(m, Sessions.idsAndMask(ids, MASK)).get(ModelIo.LOGITS).toFloats();
    }

    private static float[] lastRow(float[] logits, int vocab) {
        return Arrays.copyOfRange(logits, logits.length - vocab, logits.length);
    }

    @Test
    void slidingWindowHidesKeysOutsideTheWindow() {
        LlamaConfig c = TinyConfigs.mistral(3, 1);
        Model m = ModelFactory.build(c, TestWeights.source(c, 3), Form.TRAINING);
        float[] base = lastRow(logits(m, IDS), c.vocabSize());
        long[][] outside = {IDS[0].clone()};
        for (int t = 0; t <= 4; t++) {
            outside[0][t] = (outside[0][t] + 1) % c.vocabSize();
        }
        Logits.assertClose("tokens 0..4 changed, last query (window 5..7)", lastRow(logits(m, outside),
                c.vocabSize()), base, c.vocabSize(), null, new Logits.Tolerance(1e-6, 0, "same math, same inputs"));
        long[][] inside = {IDS[0].clone()};
        inside[0][5] = (inside[0][5] + 1) % c.vocabSize();
        float[] changed = lastRow(logits(m, inside), c.vocabSize());
        double maxDiff = 0;
        for (int i = 0; i < base.length; i++) {
            maxDiff = Math.max(maxDiff, Math.abs(changed[i] - base[i]));
        }
        assertThat(maxDiff).as("token 5 is inside the window of query 7").isGreaterThan(1e-3);
    }

    @Test
    void windowAsLongAsTheModelIsNoWindow() {
        LlamaConfig windowed = TinyConfigs.mistral(64, 2);
        LlamaConfig none = TinyConfigs.mistral("null", 2);
        assertThat(none.slidingWindow()).isEmpty();
        Map<String, io.ortune.graph.ir.Tensor> w = TestWeights.of(windowed, 4);
        float[] a = logits(ModelFactory.build(windowed, new TestWeights.MapSource(w), Form.TRAINING), IDS);
        float[] b = logits(ModelFactory.build(none, new TestWeights.MapSource(w), Form.TRAINING), IDS);
        Logits.assertClose("window 64 = max positions vs none", a, b, windowed.vocabSize(), null,
                new Logits.Tolerance(0, 0, "the builder leaves such a window out: identical graphs"));
    }

    @Test
    void dynamicRopeEqualsPlainRopeWithTheScaledBase() {
        int maxPos = 4;
        double factor = 2.0;
        LlamaConfig dynamic = TinyConfigs.llama("\"num_attention_heads\":4,\"max_position_embeddings\":" + maxPos
                + ",\"rope_scaling\":{\"rope_type\":\"dynamic\",\"factor\":" + factor + "}");
        int d = dynamic.headDim();
        double longer = 10000.0 * Math.pow(factor * IDS[0].length / maxPos - (factor - 1), (double) d / (d - 2));
        LlamaConfig plainLong = TinyConfigs.llama("\"num_attention_heads\":4,\"max_position_embeddings\":" + maxPos
                + ",\"rope_theta\":" + longer);
        LlamaConfig plain = TinyConfigs.llama("\"num_attention_heads\":4,\"max_position_embeddings\":" + maxPos);
        Map<String, io.ortune.graph.ir.Tensor> w = TestWeights.of(dynamic, 5);
        Model dyn = ModelFactory.build(dynamic, new TestWeights.MapSource(w), Form.TRAINING);
        Logits.Tolerance tol = new Logits.Tolerance(1e-4, 0, "graph computes the base in fp32, Java in fp64");
        Logits.assertClose("dynamic, 8 tokens > max 4", logits(dyn, IDS),
                logits(ModelFactory.build(plainLong, new TestWeights.MapSource(w), Form.TRAINING), IDS),
                dynamic.vocabSize(), null, tol);
        long[][] shortIds = {{5, 17, 3}};
        long[][] shortMask = {{1, 1, 1}};
        Model plainModel = ModelFactory.build(plain, new TestWeights.MapSource(w), Form.TRAINING);
        Logits.assertClose("dynamic, 3 tokens <= max 4: unscaled",
                Sessions.run(dyn, Sessions.idsAndMask(shortIds, shortMask)).get(ModelIo.LOGITS).toFloats(),
                Sessions.run(plainModel, Sessions.idsAndMask(shortIds, shortMask)).get(ModelIo.LOGITS).toFloats(),
                dynamic.vocabSize(), null, tol);
    }

    @Test
    void inverseFrequenciesMatchTheFixtureReadmes() {
        String base = "\"num_attention_heads\":4,\"head_dim\":8,\"hidden_size\":32,\"rope_scaling\":";
        assertFreqs(TinyConfigs.llama(base + "{\"rope_type\":\"linear\",\"factor\":2.0}"),
                0.5, 0.05, 0.005, 0.0005);
        String llama3 = "{\"rope_type\":\"llama3\",\"factor\":8.0,\"low_freq_factor\":1.0,\"high_freq_factor\":4.0,"
                + "\"original_max_position_embeddings\":";
        assertFreqs(TinyConfigs.llama(base + llama3 + "16}"), 0.576056401, 0.0125, 0.00125, 0.000125);
        assertFreqs(TinyConfigs.llama(base + llama3 + "64}"), 1.0, 0.013042256, 0.00125, 0.000125);
        assertFreqs(TinyConfigs.llama("\"num_attention_heads\":4,\"rope_theta\":10000.0"), 1, 0.1, 0.01, 0.001);
    }

    private static void assertFreqs(LlamaConfig c, double... expected) {
        double[] actual = Rope.invFreq(c);
        assertThat(actual).hasSize(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(actual[i]).as("inv_freq[" + i + "] of " + c.ropeScaling())
                    .isCloseTo(expected[i], org.assertj.core.data.Offset.offset(expected[i] * 1e-8));
        }
    }

    @Test
    void yarnIsRefusedByName() {
        LlamaConfig c = TinyConfigs.llama("\"num_attention_heads\":4,\"rope_scaling\":{\"rope_type\":\"yarn\","
                + "\"factor\":4.0,\"original_max_position_embeddings\":16}");
        assertThatThrownBy(() -> ModelFactory.randomInit(c, 1, Form.TRAINING))
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("rope_scaling type 'yarn'").hasMessageContaining("linear, dynamic, llama3");
    }
}
