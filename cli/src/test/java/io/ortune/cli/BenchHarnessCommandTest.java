package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ortune bench} and {@code ortune report}: the files of the contract, and bad flags refused by name. */
class BenchHarnessCommandTest {

    @TempDir
    Path dir;

    private Path tinyModel() throws IOException {
        Path f = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":64,"
                + "\"n_positions\":64,\"n_embd\":32,\"n_layer\":1,\"n_head\":2}", "tiny"), 1, Form.TRAINING), f);
        return f;
    }

    @Test
    void benchWritesResultsAndReportAssemblesThem() throws IOException {
        Path model = tinyModel();
        Path out = dir.resolve("out");
        CliRun r = CliRun.of("bench", model.toString(), model.toString(), "--backend", "cpu,tensorrt", "--batch",
                "1,2", "--seq", "8", "--warmup-runs", "1", "--runs", "10", "--threads", "1", "--out", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("(8 results, 4 skipped)");
        assertThat(r.err()).contains("tensorrt: skipped: no NVIDIA GPU");
        for (String f : new String[] {"results.json", "results.csv", "report.html", "report.md"}) {
            assertThat(out.resolve(f)).isNotEmptyFile();
        }
        Path html = dir.resolve("combined/report.html");
        CliRun rep = CliRun.of("report", out.toString(), "-o", html.toString());
        assertThat(rep.exit()).as(rep.toString()).isZero();
        assertThat(rep.out()).contains("charts)");
        assertThat(Files.readString(html)).contains("data-chart=\"latency-vs-batch\"");
    }

    @Test
    void badTimingFlagsAreRefusedNamingThem() throws IOException {
        Path model = tinyModel();
        String out = dir.resolve("o").toString();
        CliRun few = CliRun.of("bench", model.toString(), "--runs", "5", "--out", out);
        assertThat(few.exit()).isEqualTo(2);
        assertThat(few.err()).contains("--runs must be >= 10");
        CliRun both = CliRun.of("bench", model.toString(), "--warmup-runs", "2", "--warmup-s", "1", "--out", out);
        assertThat(both.exit()).isEqualTo(2);
        assertThat(both.err()).contains("--warmup-runs", "--warmup-s");
        CliRun backend = CliRun.of("bench", model.toString(), "--backend", "npu", "--out", out);
        assertThat(backend.exit()).isEqualTo(2);
        assertThat(backend.err()).contains("unknown backend 'npu'");
        CliRun missing = CliRun.of("bench", dir.resolve("nope.onnx").toString(), "--out", out);
        assertThat(missing.exit()).isEqualTo(1);
        assertThat(missing.err()).contains("nope.onnx");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void reportRejectsAnotherSchemaVersionWritingNothing() throws IOException {
        Path bad = dir.resolve("results.json");
        Files.writeString(bad, "{\n  \"schema\": \"ortune.bench.results/9\",\n  \"results\": []\n}\n");
        Path html = dir.resolve("r/report.html");
        CliRun r = CliRun.of("report", bad.toString(), "-o", html.toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("line 2: key \"schema\" is \"ortune.bench.results/9\"");
        assertThat(html.getParent()).doesNotExist();
    }
}
