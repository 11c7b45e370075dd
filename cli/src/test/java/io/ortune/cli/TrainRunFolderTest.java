package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Run folders a user can recover: a fresh run reuses a folder whose run saved no checkpoint, {@code --overwrite}
 * restarts one that has checkpoints, {@code --resume} with another {@code --model} is refused before training, and
 * {@code train_config.json} stores absolute paths.
 */
class TrainRunFolderTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
    }

    private Path model(String name, int seed) throws IOException {
        Path p = dir.resolve(name);
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":1,\"n_head\":2}", "t"), seed, Form.TRAINING), p);
        return p;
    }

    private Path data() throws IOException {
        Random r = new Random(3);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append("{\"input_ids\": [");
            for (int t = 0; t < 12; t++) {
                s.append(t == 0 ? "" : ", ").append(r.nextInt(50));
            }
            s.append("]}\n");
        }
        return Files.writeString(dir.resolve("data.jsonl"), s.toString());
    }

    private CliRun train(Path model, Path data, Path out, String... more) {
        return train(model, data, out, 2, more);
    }

    private CliRun train(Path model, Path data, Path out, int steps, String... more) {
        String[] base = {"train", "--model", model.toString(), "--data", data.toString(), "--out", out.toString(),
            "--max-steps", Integer.toString(steps), "--batch-size", "4", "--threads", "1", "--save-every", "1"};
        String[] all = new String[base.length + more.length];
        System.arraycopy(base, 0, all, 0, base.length);
        System.arraycopy(more, 0, all, base.length, more.length);
        return CliRun.of(all);
    }

    @Test
    void aFolderWhoseRunSavedNoCheckpointIsReused() throws IOException {
        Path model = model("m.onnx", 1);
        Path data = data();
        Path out = dir.resolve("run");
        // what a run that failed at step 1 leaves: artifacts and a metrics file, no checkpoint
        Files.createDirectories(out.resolve("artifacts"));
        Files.writeString(out.resolve("artifacts/manifest.json"), "{}");
        Files.writeString(out.resolve("metrics.jsonl"), "");
        Files.writeString(out.resolve("notes.txt"), "mine");

        CliRun r = train(model, data, out);

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("reusing " + out + ": its earlier run saved no checkpoint");
        assertThat(out.resolve("checkpoints/latest")).isRegularFile();
        assertThat(out.resolve("notes.txt")).as("files the run did not write stay").hasContent("mine");
    }

    @Test
    void overwriteRestartsARunWithCheckpointsAndResumeRefusesAnotherModel() throws IOException {
        Path model = model("m.onnx", 1);
        Path other = model("other.onnx", 2);
        Path data = data();
        Path out = dir.resolve("run");
        assertThat(train(model, data, out).exit()).isZero();

        CliRun again = train(model, data, out);
        assertThat(again.exit()).as(again.toString()).isEqualTo(2);
        assertThat(again.err()).contains("checkpoint at step 2", "--resume " + out, "--overwrite");

        CliRun otherModel = CliRun.of("train", "--resume", out.toString(), "--model", other.toString(),
                "--max-steps", "3");
        assertThat(otherModel.exit()).as(otherModel.toString()).isEqualTo(2);
        assertThat(otherModel.err()).contains("another model", other.toString());
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).as("nothing trained").hasSize(2);

        CliRun fresh = train(model, data, out, 1, "--overwrite");
        assertThat(fresh.exit()).as(fresh.toString()).isZero();
        assertThat(fresh.out()).contains("overwriting the run in " + out);
        assertThat(Files.readAllLines(out.resolve("metrics.jsonl"))).hasSize(1);
    }

    @Test
    void savedSettingsHoldAbsolutePaths() throws IOException {
        Path model = model("m.onnx", 1);
        Path data = data();
        Path out = dir.resolve("run");
        Path cwd = Path.of("").toAbsolutePath();
        CliRun r = train(cwd.relativize(model), cwd.relativize(data), cwd.relativize(out));
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode saved = new ObjectMapper().readTree(out.resolve("train_config.json").toFile());
        assertThat(saved.get("model").asText()).isEqualTo(model.toAbsolutePath().normalize().toString());
        assertThat(saved.get("data").asText()).isEqualTo(data.toAbsolutePath().normalize().toString());
        assertThat(Path.of(saved.get("out").asText())).isAbsolute();
    }
}
