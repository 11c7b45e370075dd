package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;

/**
 * Jazzer fuzz target of the training checkpoint (ODTC flatbuffer) reader: any bytes either read or fail with
 * {@link CheckpointFormatException} with a message; anything else escaping is a finding. Plain {@code mvn test} runs
 * the seeds in {@code CheckpointReaderFuzzTestInputs/checkpoint/}; {@code JAZZER_FUZZ=1} fuzzes for
 * {@code maxDuration}.
 */
class CheckpointReaderFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void checkpoint(byte[] bytes) throws IOException {
        try {
            Checkpoint c = CheckpointReader.fromBytes(bytes);
            assertThat(c.trainableParams()).isNotNull();
        } catch (CheckpointFormatException expected) {
            assertThat(expected.getMessage()).contains("checkpoint bytes");
        }
    }
}
