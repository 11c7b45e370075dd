package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.export.hotswap.OnnxAdapter;
import io.ortune.export.hotswap.OnnxAdapterFile;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.weights.SafetensorsWriter;
import io.ortune.training.artifacts.Checkpoint;
import io.ortune.training.artifacts.CheckpointWriter;
import io.ortune.training.artifacts.OptimizerState;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ortune inspect} on every format besides ONNX: a summary of a good file, a named error for a bad one. */
class InspectFormatsTest {

    @TempDir
    Path dir;

    @Test
    void safetensorsListsTensorsDtypesShapesParametersAndMetadata() throws IOException {
        Path f = dir.resolve("w.safetensors");
        SafetensorsWriter.write(f, Map.of("a.weight", Tensor.ofFloats("a.weight", new long[] {3, 4}, new float[12]),
                "b.bias", Tensor.ofFloats("b.bias", new long[] {5}, new float[5])), Map.of("format", "pt"));
        CliRun r = CliRun.of("inspect", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(safetensors)", "tensors: 2, parameters: 17, bytes: 68", "a.weight F32 [3, 4]",
                "b.bias F32 [5]", "metadata.format: pt");

        Path cut = dir.resolve("cut.safetensors");
        byte[] all = Files.readAllBytes(f);
        Files.write(cut, Arrays.copyOf(all, all.length - 4));
        CliRun bad = CliRun.of("inspect", cut.toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).contains("cut.safetensors").doesNotContain("truncated or corrupt file?");
    }

    @Test
    void llama2cShowsHeaderDerivedParametersAndSharing() throws IOException {
        // dim 8, hidden 16, 1 layer, 2 heads, 2 kv heads, vocab 10 unshared (-10), seq 4. Floats by hand:
        // embed 80, att norm 8, q/k/v/o 4x64, ffn norm 8, w1/w2/w3 3x128, final norm 8, RoPE 2*4*2=16, lm_head 80.
        int floats = 80 + 8 + 256 + 8 + 384 + 8 + 16 + 80;
        Path f = llama2c("tiny.bin", floats);
        CliRun r = CliRun.of("inspect", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(llama2.c)", "dim: 8", "n_kv_heads: 2", "shared_classifier: false",
                "parameters: " + (floats - 16), "lm_head.weight F32 [10, 8]");

        CliRun bad = CliRun.of("inspect", llama2c("short.bin", floats - 1).toString());
        assertThat(bad.exit()).as(bad.toString()).isEqualTo(1);
        assertThat(bad.err()).contains("short.bin", "4 missing");
    }

    @Test
    void onnxAdapterShowsVersionsAndParameters() throws IOException {
        Path f = dir.resolve("a.onnx_adapter");
        OnnxAdapterFile.write(new OnnxAdapter(1, 3, List.of(Tensor.ofFloats("q.lora_A", new long[] {2, 8},
                new float[16]))), f);
        CliRun r = CliRun.of("inspect", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(.onnx_adapter)", "adapter version: 1, model version: 3", "parameters: 16",
                "q.lora_A FLOAT [2, 8]");

        Path bad = dir.resolve("bad.onnx_adapter");
        Files.write(bad, new byte[] {1, 2, 3, 4, 'T', 'O', 'R', 'T', 9, 9});
        CliRun b = CliRun.of("inspect", bad.toString());
        assertThat(b.exit()).as(b.toString()).isEqualTo(1);
        assertThat(b.err()).contains("bad.onnx_adapter");
    }

    @Test
    void checkpointFileShowsTensorsAndOptimizerState() throws IOException {
        Tensor w = Tensor.ofFloats("w", new long[] {2, 3}, new float[6]);
        Checkpoint c = Checkpoint.of(List.of(w), List.of(Tensor.ofFloats("f", new long[] {4}, new float[4])))
                .withOptimizerState(OptimizerState.adamwZeros(List.of(w), 7, 0.01f));
        Path f = dir.resolve("checkpoint");
        CheckpointWriter.write(c, f);
        CliRun r = CliRun.of("inspect", f.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(training checkpoint)", "trainable tensors: 1, parameters: 6",
                "frozen tensors: 1, parameters: 4", "step 7", "momentum0, momentum1");

        Path bad = dir.resolve("bad-checkpoint");
        Files.write(bad, new byte[] {0, 0, 0, 0, 'O', 'D', 'T', 'C', 7, 7, 7, 7});
        CliRun b = CliRun.of("inspect", bad.toString());
        assertThat(b.exit()).as(b.toString()).isEqualTo(1);
        assertThat(b.err()).contains("bad-checkpoint");
    }

    @Test
    void runFolderSummarisesMetricsAndNamesABadLine() throws IOException {
        Path run = Files.createDirectories(dir.resolve("run"));
        Files.createDirectories(run.resolve("checkpoints"));
        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":5.0,\"loss_spike\":false}\n"
                + "{\"step\":2,\"loss\":40.0,\"loss_spike\":true}\n{\"step\":3,\"loss\":4.5,\"loss_spike\":false}\n");
        Files.writeString(run.resolve("train_config.json"), "{}");
        CliRun r = CliRun.of("inspect", run.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(training run folder)", "steps logged: 3", "latest checkpoint: none",
                "loss: last 4.5, lowest 4.5", "loss spikes: steps [2]", "train_config.json");

        Files.writeString(run.resolve("metrics.jsonl"), "{\"step\":1,\"loss\":5.0}\nnot json\n");
        CliRun b = CliRun.of("inspect", run.toString());
        assertThat(b.exit()).as(b.toString()).isEqualTo(1);
        assertThat(b.err()).contains("metrics.jsonl:2");
    }

    @Test
    void peftAdapterFolderAndAnUnknownFolder() throws IOException {
        CliRun r = CliRun.of("inspect", CliRun.file("export/src/test/resources/golden/peft/llama-lora"));
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(PEFT adapter folder)", "peft_type: LORA", "lora_A");

        Path bad = Files.createDirectories(dir.resolve("badpeft"));
        Files.copy(Path.of(CliRun.file("export/src/test/resources/golden/peft/llama-lora/adapter_model.safetensors")),
                bad.resolve("adapter_model.safetensors"));
        Files.writeString(bad.resolve("adapter_config.json"), "{not json");
        CliRun b = CliRun.of("inspect", bad.toString());
        assertThat(b.exit()).as(b.toString()).isEqualTo(1);
        assertThat(b.err()).contains("adapter_config.json");

        CliRun none = CliRun.of("inspect", Files.createDirectories(dir.resolve("empty")).toString());
        assertThat(none.exit()).isNotZero();
        assertThat(none.err()).contains("empty", "adapter_config.json", "metrics.jsonl");
    }

    private Path llama2c(String name, int floats) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(28 + 4 * floats).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {8, 16, 1, 2, 2, -10, 4}) {
            b.putInt(v);
        }
        Path f = dir.resolve(name);
        Files.write(f, b.array());
        return f;
    }
}
