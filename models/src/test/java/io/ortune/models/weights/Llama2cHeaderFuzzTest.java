package io.ortune.models.weights;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jazzer fuzz target of the llama2.c checkpoint reader: any file contents either open (header valid, size exact)
 * or fail with {@link CheckpointFormatException} naming the file; anything else escaping is a finding. Plain
 * {@code mvn test} runs the seeds in {@code Llama2cHeaderFuzzTestInputs/header/}; {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration}.
 */
class Llama2cHeaderFuzzTest {

    private static Path file;

    @TempDir
    Path dir;

    /**
     * Finding of the first fuzz run (27 executions/s, 5.6 GB resident; reproducer {@code header/huge_n_layers}):
     * {@code open} laid out every layer's tensors (a map entry per tensor) before the size check, so a header
     * claiming 2^31 − 1 layers would exhaust the heap before refusing the 92-byte file.
     */
    @Test
    @Timeout(10)
    void aHeaderClaimingBillionsOfLayersIsRefusedBySizeAtOnce() throws IOException {
        ByteBuffer b = ByteBuffer.allocate(92).order(ByteOrder.LITTLE_ENDIAN);
        for (int v : new int[] {8, 16, Integer.MAX_VALUE, 2, 2, 10, 4}) {
            b.putInt(v);
        }
        Path f = Files.write(dir.resolve("huge.bin"), b.array());
        assertThatThrownBy(() -> Llama2cCheckpoint.open(f)).isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("huge.bin").hasMessageContaining("but the file has 92 bytes");
    }

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
