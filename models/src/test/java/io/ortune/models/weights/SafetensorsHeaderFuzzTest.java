package io.ortune.models.weights;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.file.Path;

/**
 * Jazzer fuzz target of the safetensors header parser: any bytes (and any data-region length) either parse or fail
 * with {@link SafetensorsFormatException}; any other exception escaping is a finding. Under plain {@code mvn test}
 * it runs its seed inputs only (regression mode); {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class SafetensorsHeaderFuzzTest {

    private static final Path FILE = Path.of("fuzz.safetensors");

    @FuzzTest(maxDuration = "10s")
    void header(FuzzedDataProvider data) {
        long dataLength = data.consumeLong(0, 1L << 40);
        byte[] header = data.consumeRemainingAsBytes();
        try {
            SafetensorsHeader.parse(FILE, header, dataLength);
        } catch (SafetensorsFormatException expected) {
            // the project's own, named error: fine
        }
    }
}
