package io.ortune.models.weights;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz target of the llama2.c checkpoint reader: any file contents either open (header valid, size exact)
 * or fail with {@link CheckpointFormatException} naming the file; anything else escaping is a finding. Plain
 * {@code mvn test} runs the seeds in {@code Llama2cHeaderFuzzTestInputs/header/}; {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration}.
 */
class Llama2cHeaderFuzzTest {

    private static Path file;

    @FuzzTest(maxDuration = "10s")
    void header(byte[] bytes) throws IOException {
        if (file == null) {
            file = Files.createTempFile("fuzz-llama2c", ".bin");
            file.toFile().deleteOnExit();
        }
        Files.write(file, bytes);
        try {
            Llama2cCheckpoint c = Llama2cCheckpoint.open(file);
            assertThat(c.names()).isNotEmpty();
        } catch (CheckpointFormatException expected) {
            assertThat(expected.getMessage()).contains(file.getFileName().toString());
        }
    }
}
