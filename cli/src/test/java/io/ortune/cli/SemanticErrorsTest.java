package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Errors about what the user asked for (sizes too large, the wrong architecture) name the tensor or the setting
 * and do not print the command's usage; only a malformed command line does.
 */
class SemanticErrorsTest {

    @TempDir
    Path dir;

    @Test
    void hugeVocabularyNamesTheTensorAndItsSize() throws IOException {
        Path cfg = dir.resolve("config.json");
        Files.writeString(cfg, "{\"model_type\":\"gpt2\",\"vocab_size\":2000000000,\"n_positions\":32,"
                + "\"n_embd\":16,\"n_layer\":1,\"n_head\":2}");
        CliRun r = CliRun.of("build", "--config", cfg.toString(), "--random-init", "-o",
                dir.resolve("m.onnx").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).doesNotContain("integer overflow").contains("wte", "2000000000");
    }

    @Test
    void archMismatchIsOneLineWithoutTheUsage() {
        String fixture = "models/src/test/resources/golden/gpt2-tiny/";
        CliRun r = CliRun.of("build", "--arch", "llama", "--config", CliRun.file(fixture + "config.json"),
                "--weights", CliRun.file(fixture + "model.safetensors"), "-o", dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--arch llama", "gpt2", "ortune build --help").doesNotContain("Usage:");
        assertThat(r.err().lines().count()).as(r.err()).isLessThanOrEqualTo(2);
    }

    @Test
    void aMalformedCommandLineStillGetsTheUsage() {
        CliRun r = CliRun.of("build", "-o", dir.resolve("x.onnx").toString(), "--no-such-flag");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("Unknown option", "Usage:");
    }
}
