package io.ortune.export.hotswap;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.ortune.export.adapter.AdapterException;

/**
 * Jazzer fuzz target of the {@code .onnx_adapter} reader: any bytes either read or fail with
 * {@link AdapterException} naming the source; anything else escaping (an index or buffer exception from a bad
 * flatbuffer offset, say) is a finding. Plain {@code mvn test} runs the seeds in
 * {@code OnnxAdapterFileFuzzTestInputs/adapter/}; {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class OnnxAdapterFileFuzzTest {

    @FuzzTest(maxDuration = "10s")
    void adapter(byte[] bytes) {
        try {
            OnnxAdapter a = OnnxAdapterFile.fromBytes(bytes, "fuzz.onnx_adapter");
            assertThat(a.parameters()).isNotNull();
        } catch (AdapterException expected) {
            assertThat(expected.getMessage()).contains("fuzz.onnx_adapter");
        }
    }
}
