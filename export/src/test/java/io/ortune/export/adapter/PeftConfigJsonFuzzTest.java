package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.nio.charset.StandardCharsets;

/**
 * Jazzer fuzz target of the PEFT {@code adapter_config.json} parser: any text either parses or fails with
 * {@link AdapterException} naming the source; anything else escaping is a finding. Plain {@code mvn test} runs the
 * seeds in {@code PeftConfigJsonFuzzTestInputs/config/}; {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class PeftConfigJsonFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void config(byte[] bytes) {
        try {
            PeftAdapterConfig c = PeftConfigJson.parse(new String(bytes, StandardCharsets.UTF_8), "fuzz/config.json");
            assertThat(c.peftType()).isNotNull();
        } catch (AdapterException expected) {
            assertThat(expected.getMessage()).contains("fuzz/config.json");
        }
    }
}
