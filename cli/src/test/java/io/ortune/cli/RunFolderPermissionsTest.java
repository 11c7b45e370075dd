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
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every file of a run folder (config, metrics, checkpoint pointer and state, exported model) gets the permissions a
 * plain {@code Files.write} gets under the user's umask, like the models do; none is owner-only.
 */
class RunFolderPermissionsTest {

    @TempDir
    Path dir;

    @Test
    void everyRunFileHasTheUmaskPermissions() throws IOException {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
        Assumptions.assumeTrue(Files.getFileAttributeView(dir, PosixFileAttributeView.class) != null,
                "needs a POSIX file system");
        Path plain = Files.writeString(dir.resolve("plain"), "x");
        Set<PosixFilePermission> expected = Files.getPosixFilePermissions(plain);
        Path model = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":1,\"n_head\":2}", "t"), 1, Form.TRAINING), model);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            s.append("{\"input_ids\": [1, 2, 3, 4, 5, 6, 7, ").append(i).append("]}\n");
        }
        Path data = Files.writeString(dir.resolve("data.jsonl"), s.toString());
        Path out = dir.resolve("run");

        int code;
        PrintStream old = System.out;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        try (PrintStream capture = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
            System.setOut(capture);
            code = Main.execute(new String[] {"train", "--model", model.toString(), "--data", data.toString(), "--out",
                    out.toString(), "--max-steps", "2", "--batch-size", "2", "--save-every", "1", "--threads", "1"});
        } finally {
            System.setOut(old);
        }
        assertThat(code).as(buf.toString(StandardCharsets.UTF_8)).isZero();

        List<String> wrong = new ArrayList<>();
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                files.add(out.relativize(p).toString());
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.equals(expected)) {
                    wrong.add(out.relativize(p) + " " + PosixFilePermissions.toString(perms));
                }
            }
        }
        assertThat(files).contains("train_config.json", "metrics.jsonl", "checkpoints/latest", "model.onnx");
        assertThat(wrong).as("files without %s", PosixFilePermissions.toString(expected)).isEmpty();
    }
}
