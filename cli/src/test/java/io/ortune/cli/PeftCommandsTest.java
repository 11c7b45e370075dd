package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.runtime.OrtRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** {@code ortune inject}, {@code ortune train --peft [--quantize nf4]} and {@code ortune quantize --nf4}. */
class PeftCommandsTest {

    @TempDir
    Path dir;

    private Path llama() throws IOException {
        return TinyRunFiles.llama(dir, 2);
    }

    private Path data() throws IOException {
        return TinyRunFiles.idRows(dir, 16);
    }

    @Test
    void injectPrintsWhatItDidAndRecordsTheTrainableSet() throws Exception {
        Path out = dir.resolve("lora.onnx");
        CliRun r = CliRun.of("inject", llama().toString(), "-o", out.toString(), "--method", "lora", "--r", "4",
                "--target", "all-linear", "--layers", "1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("injected into 7 modules", "skipped model.layers.0.self_attn.q_proj: layer 0 "
                + "is not in --layers 1", "trainable params:");
        Model m = OnnxReader.read(out);
        assertThat(PeftMetadata.trainable(m).orElseThrow()).hasSize(14)
                .allMatch(n -> n.startsWith("model.layers.1.") && n.contains(".lora_"));
    }

    @Test
    void injectRefusesBadFlagsAsUsageErrors() throws Exception {
        CliRun bad = CliRun.of("inject", llama().toString(), "-o", dir.resolve("x.onnx").toString(), "--method",
                "loraa");
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("unknown PEFT method 'loraa'", "lora, dora, adapter, prefix, prompt, ia3");
        CliRun none = CliRun.of("inject", llama().toString(), "-o", dir.resolve("y.onnx").toString(), "--method",
                "lora", "--target", "no_such_proj");
        assertThat(none.exit()).isEqualTo(1);
        assertThat(none.err()).contains("no_such_proj");
        assertThat(dir.resolve("y.onnx")).doesNotExist();
    }

    @Test
    void trainWithPeftTrainsOnlyTheAdapterAndQloraKeepsTheBaseInNf4() throws Exception {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
        Path model = llama();
        Path data = data();
        Path run = dir.resolve("run");
        CliRun r = CliRun.of("train", "--model", model.toString(), "--data", data.toString(), "--out", run.toString(),
                "--peft", "lora", "--r", "4", "--max-steps", "3", "--batch-size", "4", "--threads", "1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("lora adapter 'default': injected into 4 modules", "trainable params: 896 ");
        Model trained = OnnxReader.read(run.resolve("model.onnx"));
        assertThat(PeftMetadata.adapters(trained)).hasSize(1);

        Path qrun = dir.resolve("qrun");
        CliRun q = CliRun.of("train", "--model", model.toString(), "--data", data.toString(), "--out",
                qrun.toString(), "--peft", "lora", "--quantize", "nf4", "--double-quant", "--max-steps", "2",
                "--batch-size", "4", "--threads", "1");
        assertThat(q.exit()).as(q.toString()).isZero();
        assertThat(q.out()).contains("NF4 (block 64, double quantization): 14 weights");
        assertThat(OnnxReader.read(qrun.resolve("model.onnx")).graph().nodes())
                .filteredOn(n -> n.opType().equals("MatMulBnb4")).hasSize(14);

        CliRun noPeft = CliRun.of("train", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("x").toString(), "--quantize", "nf4");
        assertThat(noPeft.exit()).isEqualTo(2);
        assertThat(noPeft.err()).contains("add --peft");
    }

    @Test
    void quantizeNf4WritesTheModelAndAJsonReport() throws Exception {
        Path out = dir.resolve("nf4.onnx");
        Path report = dir.resolve("nf4.json");
        CliRun r = CliRun.of("quantize", llama().toString(), "--nf4", "-o", out.toString(), "--report",
                report.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("4.500 bits/param", "rel Frobenius", "deploy as int4 or int8");
        assertThat(Files.readString(report)).contains("\"bits_per_parameter\" : 4.5", "\"rel_frobenius_error\"");
        CliRun again = CliRun.of("quantize", out.toString(), "--nf4", "-o", dir.resolve("again.onnx").toString());
        assertThat(again.exit()).isEqualTo(1);
        assertThat(again.err()).contains("NF4-quantized already");
    }
}
