package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.TestData;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.LlamaConfig;
import io.ortune.models.config.ModelConfig;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logits of the built graphs, run in ONNX Runtime, against the PyTorch golden fixtures: both forms, every fixture,
 * within the fixtures' stated fp32 tolerance (1e-4 absolute) at the slots their README says to compare.
 */
class GoldenParityTest {

    private static GoldenFixture fixture(String name) throws IOException {
        assertTrue(GoldenFixture.exists(name), "golden fixture " + name + " is not generated yet (run "
                + "tools/torch_reference.py)");
        return GoldenFixture.load(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa", "llama-tiny-rope-linear", "llama-tiny-rope-llama3",
            "llama-tiny-rope-llama3-wide"})
    void trainingFormMatchesPyTorch(String name) throws IOException {
        GoldenFixture f = fixture(name);
        Model m = ModelFactory.fromHuggingFace(f.dir().resolve("config.json"), f.dir().resolve("model.safetensors"),
                Form.TRAINING);
        Tensor logits = Sessions.run(m, Sessions.idsAndMask(f.ids(), f.mask())).get(ModelIo.LOGITS);
        report(name + " training", Logits.assertClose(name + " training form", logits, f.logits().dims(),
                f.logits().toFloats(), Logits.flags(f.compare()), Logits.GOLDEN));
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2-tiny", "llama-tiny-gqa", "llama-tiny-rope-linear", "llama-tiny-rope-llama3",
            "llama-tiny-rope-llama3-wide"})
    void kvCacheFormMatchesPyTorchTokenByToken(String name) throws IOException {
        GoldenFixture f = fixture(name);
        Path config = f.dir().resolve("config.json");
        Model m = ModelFactory.fromHuggingFace(config, f.dir().resolve("model.safetensors"), Form.KV_CACHE);
        int seq = f.ids()[0].length;
        int[] ones = new int[seq];
        java.util.Arrays.fill(ones, 1);
        float[] logits;
        try (KvDecoder d = decoder(m, ModelConfigs.read(config), f.ids().length)) {
            logits = d.decode(f.ids(), f.mask(), f.positions(), f.vocab(), ones);
        }
        report(name + " kv-cache", Logits.assertClose(name + " KV-cache form, token by token", logits,
                f.logits().toFloats(), f.vocab(), Logits.flags(f.compare()), Logits.GOLDEN));
    }

    @Test
    void stories260kMatchesLlama2cInBothForms() throws IOException {
        checkLlama2c("stories260K", TestData.file("models/stories260K.bin"));
    }

    /**
     * The real (unscrambled) tinyllamas checkpoint, repaired from the bundled file by
     * {@code tools/torch_reference.py --write-upstream-stories260k testdata/models/stories260K-upstream.bin}.
     */
    @Test
    void upstreamStories260kMatchesLlama2cInBothForms() throws IOException {
        checkLlama2c("stories260K-upstream", TestData.file("models/stories260K-upstream.bin"));
    }

    private static void checkLlama2c(String name, Path bin) throws IOException {
        GoldenFixture f = fixture(name);
        Model training = ModelFactory.fromLlama2c(bin, Form.TRAINING);
        Tensor logits = Sessions.run(training, Sessions.idsAndMask(f.ids(), f.mask())).get(ModelIo.LOGITS);
        report(name + " training", Logits.assertClose(name + " training form", logits, f.logits().dims(),
                f.logits().toFloats(), null, Logits.GOLDEN));
        Model kv = ModelForms.toKvCache(training);
        float[] stepwise;
        try (KvDecoder d = decoder(kv, ModelConfigs.parse(kv.metadataProps().get(ModelMetadata.CONFIG), "meta"), 1)) {
            stepwise = d.decode(f.ids(), f.mask(), f.positions(), f.vocab(), 2, 1, 1, 1);
        }
        report(name + " kv-cache", Logits.assertClose(name + " KV-cache form (prefill 2, then 1 by 1)", stepwise,
                f.logits().toFloats(), f.vocab(), null, Logits.GOLDEN));
    }

    @Test
    void stories260kGreedyDecodingWithTheKvCacheReproducesTheReference() throws IOException {
        assertTrue(GoldenFixture.exists("stories260K"), "golden fixture stories260K is not generated yet");
        JsonNode greedy = new ObjectMapper().readTree(GoldenFixture.root().resolve("stories260K/greedy.json")
                .toFile());
        List<Long> prompt = new ArrayList<>();
        greedy.get("prompt_ids").forEach(n -> prompt.add(n.asLong()));
        List<Long> expected = new ArrayList<>();
        greedy.get("generated_ids").forEach(n -> expected.add(n.asLong()));
        Model kv = ModelFactory.fromLlama2c(TestData.file("models/stories260K.bin"), Form.KV_CACHE);
        List<Long> generated = new ArrayList<>();
        try (KvDecoder d = new KvDecoder(kv, 5, 4, 8, 1)) {
            long[] ids = prompt.stream().mapToLong(Long::longValue).toArray();
            long[] positions = java.util.stream.LongStream.range(0, ids.length).toArray();
            float[] logits = d.step(new long[][] {ids}, new long[][] {ones(ids.length)}, new long[][] {positions});
            int last = ids.length - 1;
            for (int t = 0; t < expected.size(); t++) {
                long next = argmax(logits, last * 512, 512);
                generated.add(next);
                int total = prompt.size() + t + 1;
                logits = d.step(new long[][] {{next}}, new long[][] {ones(total)}, new long[][] {{total - 1}});
                last = 0;
            }
        }
        assertThat(generated).as("greedy ids, KV cache, token by token").isEqualTo(expected);
    }

    private static long[] ones(int n) {
        long[] out = new long[n];
        java.util.Arrays.fill(out, 1);
        return out;
    }

    private static long argmax(float[] v, int from, int n) {
        int best = 0;
        for (int i = 1; i < n; i++) {
            if (v[from + i] > v[from + best]) {
                best = i;
            }
        }
        return best;
    }

    static KvDecoder decoder(Model kv, ModelConfig c, int batch) {
        if (c instanceof LlamaConfig l) {
            return new KvDecoder(kv, l.numHiddenLayers(), l.numKeyValueHeads(), l.headDim(), batch);
        }
        Gpt2Config g = (Gpt2Config) c;
        return new KvDecoder(kv, g.nLayer(), g.nHead(), g.headDim(), batch);
    }

    private static void report(String what, Logits.Result r) {
        System.out.printf("PARITY %-40s max|dlogit| = %.3g over %d values%n", what, r.maxAbs(), r.compared());
        assertThat(r.maxAbs()).isLessThanOrEqualTo(1e-4);
    }
}
