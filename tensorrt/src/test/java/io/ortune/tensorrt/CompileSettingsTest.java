package io.ortune.tensorrt;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompileSettingsTest {

    @Test
    void manifestSitsBesideTheEngine() {
        CompileSettings s = new CompileSettings(Path.of("in.onnx"), Path.of("out/model.engine"), Precision.FP16,
                null, null, null);
        assertThat(s.manifest()).isEqualTo(Path.of("out/model.engine.json"));
        assertThat(s.profiles()).isEmpty();
        assertThat(s.workspaceBytes()).isEqualTo(-1);
    }

    @Test
    void refusesWhatCannotBe() {
        assertThatThrownBy(() -> new CompileSettings(Path.of("m.onnx"), Path.of("./m.onnx"), Precision.FP16,
                List.of(), OptionalLong.empty(), null)).hasMessageContaining("would overwrite the input model");
        assertThatThrownBy(() -> new CompileSettings(Path.of("m.onnx"), Path.of("m.engine"), Precision.FP16,
                List.of(), OptionalLong.of(0), null)).hasMessageContaining("--workspace-mb: must be a positive");
        assertThatThrownBy(() -> new CompileSettings(Path.of("m.onnx"), Path.of("m.engine"), Precision.FP16,
                List.of(), OptionalLong.empty(), Path.of("m.engine"))).hasMessageContaining("--timing-cache");
    }

    @Test
    void precisionParsesItsCliNames() {
        for (Precision p : Precision.values()) {
            assertThat(Precision.parse(p.cliName().toUpperCase())).isEqualTo(p);
        }
        assertThatThrownBy(() -> Precision.parse("int4")).hasMessageContaining("use one of fp32, fp16, bf16, int8");
        assertThat(Precision.INT8.stronglyTyped()).isTrue();
        assertThat(Precision.FP16.stronglyTyped()).isFalse();
    }
}
