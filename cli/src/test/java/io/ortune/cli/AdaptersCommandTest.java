package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import io.ortune.runtime.ValueInfo;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code ortune adapters attach|list|extract}, the run folder's {@code adapter/} from {@code ortune train --peft}, and
 * {@code ortune generate --adapter}.
 */
class AdaptersCommandTest {

    @TempDir
    Path dir;

    private Path llama() throws IOException {
        return TinyRunFiles.llama(dir, 2);
    }

    private Path data() throws IOException {
        return TinyRunFiles.idRows(dir, 16);
    }

    private static void assumeTraining() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
    }

    @Test
    void trainWritesThePeftAdapterWhichAttachesOntoTheBaseGivingTheRunsModelExactly() throws Exception {
        assumeTraining();
        Path base = llama();
        Path run = dir.resolve("run");
        CliRun t = CliRun.of("train", "--model", base.toString(), "--data", data().toString(), "--out",
                run.toString(), "--peft", "lora", "--r", "4", "--max-steps", "2", "--batch-size", "4", "--threads", "1");
        assertThat(t.exit()).as(t.toString()).isZero();
        Path adapter = run.resolve("adapter");
        assertThat(t.out()).contains("adapter: " + adapter);
        assertThat(adapter.resolve("adapter_config.json")).exists();
        assertThat(adapter.resolve("adapter_model.safetensors")).exists();
        assertThat(Files.readString(adapter.resolve("adapter_config.json"))).contains("\"peft_type\"", "\"LORA\"");

        Path attached = dir.resolve("attached.onnx");
        CliRun a = CliRun.of("adapters", "attach", base.toString(), "--adapter", adapter.toString(), "-o",
                attached.toString());
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(a.out()).contains("injected into 4 modules", "wrote " + attached);
        Map<String, float[]> expected = run(run.resolve("model.onnx"));
        Map<String, float[]> got = run(attached);
        assertThat(got.keySet()).isEqualTo(expected.keySet());
        for (String k : expected.keySet()) {
            assertThat(got.get(k)).as("output " + k + ": attached adapter vs the run's model.onnx, bit for bit")
                    .isEqualTo(expected.get(k));
        }
        float[] plain = run(base).get("logits");
        assertThat(plain).as("two training steps changed the adapter").isNotEqualTo(expected.get("logits"));

        CliRun list = CliRun.of("adapters", "list", attached.toString());
        assertThat(list.exit()).as(list.toString()).isZero();
        assertThat(list.out().strip()).isEqualTo("default  lora  r=4 alpha=8  4 modules  896 params  (active)");

        Path again = dir.resolve("again");
        CliRun x = CliRun.of("adapters", "extract", attached.toString(), "-o", again.toString());
        assertThat(x.exit()).as(x.toString()).isZero();
        assertThat(Files.readAllBytes(again.resolve("adapter_model.safetensors")))
                .as("ortune -> PEFT -> ortune -> PEFT keeps the tensor file byte for byte")
                .isEqualTo(Files.readAllBytes(adapter.resolve("adapter_model.safetensors")));

        String[] gen = {"--prompt-ids", "5,9,2,33", "--max-new-tokens", "6", "--ignore-eos", "--json"};
        CliRun fromRun = CliRun.of(concat(new String[] {"generate", "--model", run.resolve("model.onnx").toString()},
                gen));
        assertThat(fromRun.exit()).as(fromRun.toString()).isZero();
        CliRun fromBase = CliRun.of(concat(new String[] {"generate", "--model", base.toString(), "--adapter",
            adapter.toString()}, gen));
        assertThat(fromBase.exit()).as(fromBase.toString()).isZero();
        ObjectMapper json = new ObjectMapper();
        assertThat(json.readTree(fromBase.out()).get("generated_ids"))
                .as("base + --adapter generates what the run's model does")
                .isEqualTo(json.readTree(fromRun.out()).get("generated_ids"));
        assertThat(json.readTree(fromRun.out()).get("generated_ids")).hasSize(6);

        Path kv = dir.resolve("kv.onnx");
        CliRun b = CliRun.of("build", "--from", base.toString(), "--kv-cache", "-o", kv.toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        CliRun fromKv = CliRun.of(concat(new String[] {"generate", "--model", kv.toString(), "--adapter",
            adapter.toString()}, gen));
        assertThat(fromKv.exit()).as(fromKv.toString()).isZero();
        assertThat(json.readTree(fromKv.out()).get("generated_ids"))
                .as("the adapter attached straight onto the KV-cache form generates the same ids")
                .isEqualTo(json.readTree(fromRun.out()).get("generated_ids"));
    }

    @Test
    void generatingWithAPromptTunedModelFailsNamingTheAdapter() throws Exception {
        Path prompted = dir.resolve("prompt.onnx");
        CliRun i = CliRun.of("inject", llama().toString(), "-o", prompted.toString(), "--method", "prompt",
                "--num-virtual-tokens", "3");
        assertThat(i.exit()).as(i.toString()).isZero();
        CliRun g = CliRun.of("generate", "--model", prompted.toString(), "--prompt-ids", "1,2,3",
                "--max-new-tokens", "2");
        assertThat(g.exit()).as(g.toString()).isEqualTo(1);
        assertThat(g.err()).contains("adapter 'default' (prompt)", "prompt tuning on the KV-cache form is not "
                + "supported");
    }

    @Test
    void trainingAnInjectedModelWritesItsAdapterToo() throws Exception {
        assumeTraining();
        Path injected = dir.resolve("ia3.onnx");
        CliRun i = CliRun.of("inject", llama().toString(), "-o", injected.toString(), "--method", "ia3");
        assertThat(i.exit()).as(i.toString()).isZero();
        Path run = dir.resolve("run");
        CliRun t = CliRun.of("train", "--model", injected.toString(), "--data", data().toString(), "--out",
                run.toString(), "--max-steps", "2", "--batch-size", "4", "--threads", "1");
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(Files.readString(run.resolve("adapter").resolve("adapter_config.json"))).contains("\"IA3\"");
        Model trained = OnnxReader.read(run.resolve("model.onnx"));
        assertThat(PeftMetadata.adapters(trained)).hasSize(1);
        CliRun g = CliRun.of("generate", "--model", run.resolve("model.onnx").toString(), "--prompt-ids", "1,2,3",
                "--max-new-tokens", "3", "--ignore-eos", "--json");
        assertThat(g.exit()).as(g.toString()).isZero();
        assertThat(new ObjectMapper().readTree(g.out()).get("generated_ids")).hasSize(3);
    }

    @Test
    void badInputGetsOneLineErrorsNamingTheFileOrKey() throws Exception {
        Path base = llama();
        CliRun none = CliRun.of("adapters", "attach", base.toString(), "--adapter", dir.resolve("nope").toString(),
                "-o", dir.resolve("o.onnx").toString());
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("nope", "adapter folder not found");

        Path bad = Files.createDirectories(dir.resolve("bad"));
        Files.writeString(bad.resolve("adapter_config.json"), "{\"peft_type\": \"FOO\", \"r\": 4}");
        Files.write(bad.resolve("adapter_model.safetensors"), new byte[] {8, 0, 0, 0, 0, 0, 0, 0, '{', '}', ' ',
            ' ', ' ', ' ', ' ', ' '});
        CliRun foo = CliRun.of("adapters", "attach", base.toString(), "--adapter", bad.toString(), "-o",
                dir.resolve("o.onnx").toString());
        assertThat(foo.exit()).as(foo.toString()).isEqualTo(1);
        assertThat(foo.err()).contains("ortune adapters attach: error:", "peft_type", "FOO");
        assertThat(foo.err().strip().lines().count()).isEqualTo(2); // the error, and the --debug hint
        assertThat(dir.resolve("o.onnx")).doesNotExist();

        CliRun plain = CliRun.of("adapters", "extract", base.toString(), "-o", dir.resolve("x").toString());
        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err()).contains("carries no adapter");
        CliRun listed = CliRun.of("adapters", "list", base.toString());
        assertThat(listed.exit()).isZero();
        assertThat(listed.out()).contains("no adapters");

        Path lora = dir.resolve("lora.onnx");
        assertThat(CliRun.of("inject", base.toString(), "-o", lora.toString(), "--method", "lora").exit()).isZero();
        CliRun wrongName = CliRun.of("adapters", "extract", lora.toString(), "-o", dir.resolve("y").toString(),
                "--adapter-name", "other");
        assertThat(wrongName.exit()).isEqualTo(2);
        assertThat(wrongName.err()).contains("no adapter 'other'", "'default'");
        assertThat(CliRun.of("adapters").exit()).isEqualTo(2);
        assertThat(CliRun.of("adapters", "attach", base.toString()).exit()).isEqualTo(2);
    }

    private static String[] concat(String[] a, String[] b) {
        String[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** Every float output of {@code model} on one fixed row (ids, full mask). */
    private static Map<String, float[]> run(Path model) {
        try (InferenceSession s = InferenceSession.open(model)) {
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            long[] ids = {5, 9, 2, 33, 60, 1, 17};
            long[] ones = {1, 1, 1, 1, 1, 1, 1};
            for (ValueInfo in : s.inputs()) {
                switch (in.name()) {
                    case "input_ids" -> feeds.put(in.name(), Tensor.ofLongs(in.name(), new long[] {1, 7}, ids));
                    case "attention_mask" -> feeds.put(in.name(), Tensor.ofLongs(in.name(), new long[] {1, 7}, ones));
                    default -> throw new IllegalArgumentException("no feed for input '" + in.name() + "'");
                }
            }
            Map<String, float[]> out = new LinkedHashMap<>();
            List<String> names = s.outputs().stream().map(ValueInfo::name).toList();
            for (Map.Entry<String, Tensor> e : s.run(feeds, names).entrySet()) {
                out.put(e.getKey(), e.getValue().toFloats());
            }
            return out;
        }
    }
}
