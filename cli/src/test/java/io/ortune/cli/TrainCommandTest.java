package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.OrtRuntime;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ortune train} end to end on a tiny model and pre-tokenized data: YAML settings overridden by flags, the
 * run folder's files, {@code --resume} extending the run, bad data reported with file and line, and the exported
 * model generating through {@code ortune generate}.
 */
class TrainCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
    }

    private Path model() throws IOException {
        Path p = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":2,\"n_head\":2}", "t"), 1, Form.TRAINING), p);
        return p;
    }

    private Path data(int records) throws IOException {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < records; i++) {
            s.append("{\"input_ids\": [");
            for (int t = 0; t < 12; t++) {
                s.append(t == 0 ? "" : ", ").append(r.nextInt(50));
            }
            s.append("]}\n");
        }
        Path p = dir.resolve("data.jsonl");
        Files.writeString(p, s.toString());
        return p;
    }

    private static String[] run(String... args) {
        PrintStream old = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            System.setErr(capture);
            int code = Main.execute(args);
            return new String[] {Integer.toString(code), buf.toString(StandardCharsets.UTF_8)};
        } finally {
            System.setOut(old);
            System.setErr(oldErr);
        }
    }

    @Test
    void trainsResumesAndTheExportGenerates() throws IOException {
        Path model = model();
        Path data = data(16);
        Path yaml = dir.resolve("train.yaml");
        Files.writeString(yaml, "batch-size: 4\nmax-steps: 10\nlr: 0.01\nschedule: cosine\nwarmup-ratio: 0.1\n"
                + "eval-fraction: 0.25\nsave-every: 2\nthreads: 1\noptimizer: adamw\nweight-decay: 0.01\n");
        Path out = dir.resolve("run");
        String[] r = run("train", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
                "--config", yaml.toString(), "--max-steps", "3");
        assertThat(r[0]).as(r[1]).isEqualTo("0");
        assertThat(r[1]).contains("eval before", "eval after", "model: ");
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(3);
        assertThat(Files.readString(out.resolve("train_config.json"))).contains("\"max-steps\" : 3",
                "\"batch-size\" : 4");
        assertThat(out.resolve("model.onnx")).isRegularFile();
        assertThat(out.resolve("checkpoints/latest")).isRegularFile();

        String[] again = run("train", "--model", model.toString(), "--data", data.toString(), "--out",
                out.toString());
        assertThat(again[0]).isEqualTo("2");
        assertThat(again[1]).contains("--resume");

        String[] resumed = run("train", "--resume", out.toString(), "--max-steps", "5");
        assertThat(resumed[0]).as(resumed[1]).isEqualTo("0");
        List<String> lines = Files.readAllLines(out.resolve("metrics.jsonl"));
        assertThat(lines).hasSize(5);
        assertThat(lines.get(4)).startsWith("{\"step\":5,");

        String[] gen = run("generate", "--model", out.resolve("model.onnx").toString(), "--prompt-ids", "1,2,3",
                "--max-new-tokens", "4", "--json");
        assertThat(gen[0]).as(gen[1]).isEqualTo("0");
        assertThat(gen[1]).contains("generated_ids");
    }

    @Test
    void malformedDataNamesFileAndLine() throws IOException {
        Path model = model();
        Path data = dir.resolve("bad.jsonl");
        Files.writeString(data, "{\"input_ids\": [1, 2, 3]}\n{\"input_ids\": [1, 2,\n");
        String[] r = run("train", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("r").toString(), "--max-steps", "1");
        assertThat(r[0]).isEqualTo("1");
        assertThat(r[1]).contains("bad.jsonl:2", "not valid JSON");
        String[] skipped = run("train", "--model", model.toString(), "--data", data.toString(), "--out",
                dir.resolve("r2").toString(), "--max-steps", "1", "--skip-bad-lines", "--threads", "1");
        assertThat(skipped[0]).as(skipped[1]).isEqualTo("0");
        assertThat(skipped[1]).contains("1 malformed line(s) skipped");
    }
}
