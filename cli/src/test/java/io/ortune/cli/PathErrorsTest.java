package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Paths that cannot be read are reported with the cause and the path the user typed, never "file not found". */
class PathErrorsTest {

    @TempDir
    Path dir;

    private Path model() throws IOException {
        Path p = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":1,\"n_head\":2}", "t"), 1, Form.TRAINING), p);
        return p;
    }

    private CliRun train(Path data) throws IOException {
        return CliRun.of("train", "--model", model().toString(), "--data", data.toString(), "--out",
                dir.resolve("run").toString(), "--max-steps", "1");
    }

    @Test
    void dataOnAFolder() throws IOException {
        Path folder = Files.createDirectory(dir.resolve("data"));
        CliRun r = train(folder);
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains(folder + ": training data file is a directory, not a file")
                .doesNotContain("not found");
    }

    @Test
    void dataOnDevZero() throws IOException {
        Assumptions.assumeTrue(Files.exists(Path.of("/dev/zero")), "no /dev/zero on this system");
        CliRun r = train(Path.of("/dev/zero"));
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("/dev/zero: training data file is not a regular file");
    }

    @Test
    void bareFileSystemExceptionsGetTheirCause() {
        assertThat(Main.FailureHandler.oneLine(new AccessDeniedException("/ro/run")))
                .isEqualTo("/ro/run: permission denied");
        assertThat(Main.FailureHandler.oneLine(new java.nio.file.FileSystemException("/ro/run", null,
                "cannot write it: permission denied in /ro"))).isEqualTo("/ro/run: cannot write it: permission denied in /ro");
    }
}
