package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

/** {@code ortune merge}: folds PEFT folders, combines two, writes an adapter, and refuses bad input writing nothing. */
class MergeCommandTest {

    @TempDir
    Path dir;

    private static Model llama() throws IOException {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":64,"
                + "\"hidden_size\":32,\"intermediate_size\":48,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64}", "t"), 1, Form.TRAINING);
    }

    /** A LoRA adapter folder for {@code base} with seeded random B (so it changes the outputs). */
    private Path adapter(Model base, String targets, long seed) throws IOException {
        Model m = new LoraPass(LoraConfig.of(targets).withR(2).withAlpha(4)).inject(base).model();
        Random rnd = new Random(seed);
        AdapterInfo a = PeftMetadata.adapter(m, "default").orElseThrow();
        for (String init : a.tensors().values()) {
            Value v = m.graph().initializer(init);
            float[] x = new float[(int) v.constant().elementCount()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 0.3);
            }
            m.graph().setInitializerTensor(v, Tensor.ofFloats(v.name(), v.constant().dims(), x));
        }
        Path out = dir.resolve("adapter-" + seed);
        PeftAdapters.extractTo(m, "default", out);
        return out;
    }

    private static float[] logits(Model m) throws IOException {
        long[] ids = {3, 9, 27, 1, 40, 12};
        long[] ones = {1, 1, 1, 1, 1, 1};
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(Map.of("input_ids", Tensor.ofLongs("input_ids", new long[] {1, 6}, ids),
                    "attention_mask", Tensor.ofLongs("attention_mask", new long[] {1, 6}, ones))).get("logits")
                    .toFloats();
        }
    }

    private static void assertClose(float[] a, float[] b) {
        for (int i = 0; i < a.length; i++) {
            assertThat((double) Math.abs(a[i] - b[i])).as("index " + i + ": 1e-5 + 1e-5*|b|")
                    .isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(b[i]));
        }
    }

    @Test
    void foldsOneFolderAndCombinesTwo() throws Exception {
        Model base = llama();
        Path basePath = dir.resolve("base.onnx");
        OnnxWriter.write(base, basePath);
        Path a = adapter(base, "q_proj,v_proj", 1);
        Path b = adapter(base, "q_proj,down_proj", 2);

        Path one = dir.resolve("one.onnx");
        CliRun r = CliRun.of("merge", basePath.toString(), "--adapter", a.toString(), "-o", one.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("merged [adapter1] (fold) into 4 modules", "wrote " + one);
        Model merged = OnnxReader.read(one);
        assertThat(merged.graph().initializers().keySet()).isEqualTo(base.graph().initializers().keySet());
        assertClose(logits(merged), logits(PeftAdapters.attach(base, a, "x").model()));

        Path two = dir.resolve("two.onnx");
        Path combined = dir.resolve("combined");
        CliRun c = CliRun.of("merge", basePath.toString(), "--adapter", a.toString(), "--adapter", b.toString(),
                "--weights", "0.7,0.3", "--combination", "linear", "--to-adapter", combined.toString(),
                "--svd-rank", "4", "-o", two.toString());
        assertThat(c.exit()).as(c.toString()).isZero();
        assertThat(c.out()).contains("linear weights=[0.7, 0.3]", "wrote adapter to " + combined);
        Model both = PeftAdapters.attach(PeftAdapters.attach(base, a, "p").model(), b, "q").model();
        float[] gated = logits(AdapterSwitch.weighted(both, Map.of("p", 0.7, "q", 0.3)));
        assertClose(logits(OnnxReader.read(two)), gated);
        assertClose(logits(PeftAdapters.attach(base, combined, "c").model()), gated);

        CliRun ties = CliRun.of("merge", basePath.toString(), "--adapter", a.toString(), "--adapter", b.toString(),
                "--combination", "dare_ties", "--density", "0.5", "--seed", "3", "-o", dir.resolve("t.onnx").toString());
        assertThat(ties.exit()).as(ties.toString()).isZero();
        assertThat(ties.out()).contains("dare_ties", "density=0.5", "seed=3");
    }

    @Test
    void badInputIsRefusedAndNothingIsWritten() throws Exception {
        Model base = llama();
        Path basePath = dir.resolve("base.onnx");
        OnnxWriter.write(base, basePath);
        Path a = adapter(base, "q_proj", 1);
        Path out = dir.resolve("out.onnx");

        Path gpt2 = CliRun.root().resolve("export/src/test/resources/golden/peft/gpt2-lora");
        CliRun other = CliRun.of("merge", basePath.toString(), "--adapter", gpt2.toString(), "-o", out.toString());
        assertThat(other.exit()).as(other.toString()).isNotZero();
        assertThat(other.err()).contains("c_attn");

        CliRun kind = CliRun.of("merge", basePath.toString(), "--adapter", a.toString(), "--combination", "mean",
                "-o", out.toString());
        assertThat(kind.exit()).isNotZero();
        assertThat(kind.err()).contains("--combination mean", "ties");

        CliRun weights = CliRun.of("merge", basePath.toString(), "--adapter", a.toString(), "--weights", "0.5,0.5",
                "-o", out.toString());
        assertThat(weights.err()).contains("--weights has 2 values for 1 adapters");

        CliRun plain = CliRun.of("merge", basePath.toString(), "-o", out.toString());
        assertThat(plain.err()).contains("records no adapter");

        CliRun noOut = CliRun.of("merge", basePath.toString(), "--adapter", a.toString());
        assertThat(noOut.exit()).isEqualTo(2);
        assertThat(noOut.err()).contains("-o OUT.onnx", "--to-adapter DIR");

        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("base.onnx",
                    "adapter-1");
        }
    }
}
