package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.TargetSpec;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ortune adapters attach --hot-swap}, {@code ortune adapters export --format onnx_adapter|peft} and
 * {@code ortune run --lora-adapter}: a run with an adapter file gives the statically attached model's logits
 * (within 1e-6 + 1e-6·|b|: the same graph with A and B fed at run time), without one the base model's; bad files
 * are named and nothing is written.
 */
class HotSwapCommandsTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime is not available");
    }

    private static Model llama(int hidden) {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":64,"
                + "\"hidden_size\":" + hidden + ",\"intermediate_size\":48,\"num_hidden_layers\":2,"
                + "\"num_attention_heads\":4,\"num_key_value_heads\":2,\"max_position_embeddings\":64}", "t"), 1,
                Form.TRAINING);
    }

    /** {@code base} with LoRA on q_proj,v_proj of rank r, every tensor seeded random (B non-zero). */
    private static Model lora(Model base, int r, long seed) {
        LoraConfig cfg = LoraConfig.of(TargetSpec.parse("q_proj,v_proj")).withR(r).withAlpha(2 * r + 1.0)
                .withSeed(seed);
        Model m = new LoraPass(cfg).inject(base).model();
        Random rnd = new Random(seed);
        for (String init : PeftMetadata.adapter(m, "default").orElseThrow().tensors().values()) {
            Value v = m.graph().initializer(init);
            float[] x = new float[(int) v.constant().elementCount()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 0.3);
            }
            m.graph().setInitializerTensor(v, Tensor.ofFloats(init, v.constant().dims(), x));
        }
        return m;
    }

    private static Map<String, Tensor> feeds() {
        return Map.of("input_ids", Tensor.ofLongs("input_ids", new long[] {1, 6}, 3, 1, 4, 1, 5, 9),
                "attention_mask", Tensor.ofLongs("attention_mask", new long[] {1, 6}, 1, 1, 1, 1, 1, 1));
    }

    private static float[] logits(Model m) throws IOException {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(feeds()).get("logits").toFloats();
        }
    }

    private CliRun run(Path model, Path outDir, String... adapters) throws IOException {
        Path ids = dir.resolve("ids.npy");
        Path mask = dir.resolve("mask.npy");
        NpyFiles.write(feeds().get("input_ids"), ids);
        NpyFiles.write(feeds().get("attention_mask"), mask);
        java.util.List<String> args = new java.util.ArrayList<>(java.util.List.of("run", model.toString(), "--input",
                "input_ids=" + ids, "--input", "attention_mask=" + mask, "--output-dir", outDir.toString()));
        for (String a : adapters) {
            args.add("--lora-adapter");
            args.add(a);
        }
        return CliRun.of(args.toArray(String[]::new));
    }

    private static void assertClose(String what, float[] actual, float[] expected) {
        assertThat(actual).as(what + ": size").hasSameSizeAs(expected);
        double max = 0;
        for (int i = 0; i < actual.length; i++) {
            double d = Math.abs(actual[i] - expected[i]);
            max = Math.max(max, d);
            assertThat(d).as(what + " at %d: %s vs %s", i, actual[i], expected[i])
                    .isLessThanOrEqualTo(1e-6 + 1e-6 * Math.abs(expected[i]));
        }
        System.out.printf("cli hot-swap %s: max |a-b| = %.3g%n", what, max);
    }

    @Test
    void attachExportAndRunSwapAdaptersExactly() throws Exception {
        Model base = llama(32);
        Model withA = lora(base, 4, 1);
        Model withB = lora(base, 2, 2);
        Path basePath = dir.resolve("base.onnx");
        Path staticB = dir.resolve("static-b.onnx");
        OnnxWriter.write(base, basePath);
        OnnxWriter.write(withB, staticB);
        Path peftA = dir.resolve("peft-a");
        PeftAdapters.extractTo(withA, "default", peftA);

        Path hot = dir.resolve("hot.onnx");
        CliRun attach = CliRun.of("adapters", "attach", basePath.toString(), "--adapter", peftA.toString(),
                "--hot-swap", "-o", hot.toString());
        assertThat(attach.exit()).as(attach.toString()).isZero();
        assertThat(attach.out()).contains("hot-swap adapter 'default': 4 LoRA modules, 12 graph inputs");

        Path fileA = dir.resolve("a.onnx_adapter");
        CliRun exA = CliRun.of("adapters", "export", peftA.toString(), "--format", "onnx_adapter", "--base",
                basePath.toString(), "-o", fileA.toString());
        assertThat(exA.exit()).as(exA.toString()).isZero();
        Path fileB = dir.resolve("b.onnx_adapter");
        CliRun exB = CliRun.of("adapters", "export", staticB.toString(), "--format", "onnx_adapter", "--graph",
                hot.toString(), "-o", fileB.toString());
        assertThat(exB.exit()).as(exB.toString()).isZero();
        assertThat(exB.out()).contains("wrote " + fileB + ": 12 parameters");

        CliRun runA = run(hot, dir.resolve("out-a"), fileA.toString());
        assertThat(runA.exit()).as(runA.toString()).isZero();
        assertClose("A", NpyFiles.read(dir.resolve("out-a/logits.npy")).toFloats(), logits(withA));
        CliRun runB = run(hot, dir.resolve("out-b"), fileB.toString());
        assertThat(runB.exit()).as(runB.toString()).isZero();
        assertClose("B", NpyFiles.read(dir.resolve("out-b/logits.npy")).toFloats(), logits(withB));
        CliRun none = run(hot, dir.resolve("out-none"));
        assertThat(none.exit()).as(none.toString()).isZero();
        assertClose("none", NpyFiles.read(dir.resolve("out-none/logits.npy")).toFloats(), logits(base));

        Path peftB = dir.resolve("peft-b");
        CliRun toPeft = CliRun.of("adapters", "export", staticB.toString(), "--format", "peft", "-o",
                peftB.toString());
        assertThat(toPeft.exit()).as(toPeft.toString()).isZero();
        Path fileB2 = dir.resolve("b2.onnx_adapter");
        CliRun fromFolder = CliRun.of("adapters", "export", peftB.toString(), "--format", "onnx_adapter",
                "--graph", hot.toString(), "-o", fileB2.toString());
        assertThat(fromFolder.exit()).as(fromFolder.toString()).isZero();
        assertThat(Files.readAllBytes(fileB2)).isEqualTo(Files.readAllBytes(fileB));
    }

    @Test
    void badAdaptersAndFlagsAreNamedAndNothingIsWritten() throws Exception {
        Model base = llama(32);
        Path basePath = dir.resolve("base.onnx");
        OnnxWriter.write(base, basePath);
        Path peftA = dir.resolve("peft-a");
        PeftAdapters.extractTo(lora(base, 4, 1), "default", peftA);
        Path hot = dir.resolve("hot.onnx");
        assertThat(CliRun.of("adapters", "attach", basePath.toString(), "--adapter", peftA.toString(),
                "--hot-swap", "-o", hot.toString()).exit()).isZero();

        Path other = dir.resolve("other.onnx");
        OnnxWriter.write(lora(llama(48), 4, 1), other);
        Path otherFile = dir.resolve("other.onnx_adapter");
        CliRun refused = CliRun.of("adapters", "export", other.toString(), "--format", "onnx_adapter", "--graph",
                hot.toString(), "-o", otherFile.toString());
        assertThat(refused.exit()).as(refused.toString()).isNotZero();
        assertThat(refused.err()).contains("model.layers.0.self_attn.q_proj: features in 48");
        assertThat(otherFile).doesNotExist();

        CliRun unchecked = CliRun.of("adapters", "export", other.toString(), "--format", "onnx_adapter", "-o",
                otherFile.toString());
        assertThat(unchecked.exit()).as(unchecked.toString()).isZero();
        Path out = dir.resolve("out");
        CliRun run = run(hot, out, otherFile.toString());
        assertThat(run.exit()).as(run.toString()).isNotZero();
        assertThat(run.err()).contains(otherFile.toString(), "has shape [4, 48]; the graph input has [4, 32]");
        assertThat(out).doesNotExist();

        CliRun badFormat = CliRun.of("adapters", "export", other.toString(), "--format", "lora", "-o",
                dir.resolve("x").toString());
        assertThat(badFormat.err()).contains("--format must be onnx_adapter or peft, not 'lora'");
        CliRun noBase = CliRun.of("adapters", "export", peftA.toString(), "--format", "onnx_adapter", "-o",
                dir.resolve("y").toString());
        assertThat(noBase.err()).contains("is a PEFT folder: name the base model it attaches to with --base");
        CliRun defaultsAlone = CliRun.of("adapters", "attach", basePath.toString(), "--adapter", peftA.toString(),
                "--defaults", "attached", "-o", dir.resolve("z.onnx").toString());
        assertThat(defaultsAlone.err()).contains("--defaults applies only with --hot-swap");
        assertThat(dir.resolve("x")).doesNotExist();
        assertThat(dir.resolve("y")).doesNotExist();
        assertThat(dir.resolve("z.onnx")).doesNotExist();
    }
}
