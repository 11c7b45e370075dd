package io.ortune.tensorrt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class EngineManifestTest {

    @TempDir
    Path dir;

    static EngineManifest sample() {
        List<LayerPrecision> layers = List.of(new LayerPrecision("MatMul_0 + Add_1", "INT8"),
                new LayerPrecision("Softmax_2", "FP16"), new LayerPrecision("MatMul_3", "INT8"));
        return new EngineManifest(EngineManifest.FORMAT, "model.engine", 1234, "ab".repeat(32), "model.onnx",
                "cd".repeat(32), "10.15.1.29", "13.1", "NVIDIA L4", "8.9", "int8", true,
                List.of(ProfileSpec.parse("input_ids:1x1,4x128,8x512")), 2048L, "trt.cache", 12.5,
                EngineManifest.count(layers), layers);
    }

    @Test
    void writesTheContractKeysInSnakeCase() throws IOException {
        Path f = dir.resolve("model.engine.json");
        sample().write(f);
        JsonNode j = new ObjectMapper().readTree(Files.readString(f));
        assertThat(j.fieldNames()).toIterable().contains("source_sha256", "tensorrt_version", "gpu_name",
                "compute_capability", "precision", "profiles", "build_seconds", "layer_precisions", "engine_sha256");
        assertThat(j.get("layer_precisions").toString()).isEqualTo("{\"FP16\":1,\"INT8\":2}");
        assertThat(j.get("profiles").get(0).get("max").toString()).isEqualTo("[8,512]");
        assertThat(j.get("build_seconds").asDouble()).isEqualTo(12.5);
    }

    @Test
    void roundTripsExactly() throws IOException {
        Path f = dir.resolve("model.engine.json");
        EngineManifest m = sample();
        m.write(f);
        assertThat(EngineManifest.read(f)).isEqualTo(m);
        assertThat(dir.toFile().list()).containsExactly("model.engine.json");
    }

    @Test
    void absentWorkspaceAndCacheAreNullNotMissing() throws IOException {
        EngineManifest s = sample();
        EngineManifest m = new EngineManifest(s.format(), s.engine(), s.engineBytes(), s.engineSha256(),
                s.sourceModel(), s.sourceSha256(), s.tensorrtVersion(), s.cudaRuntime(), s.gpuName(),
                s.computeCapability(), "fp16", false, List.of(), null, null, 1.0, Map.of(), List.of());
        JsonNode j = new ObjectMapper().readTree(m.toJson());
        assertThat(j.get("workspace_mb").isNull()).isTrue();
        assertThat(j.get("timing_cache").isNull()).isTrue();
        Path f = dir.resolve("m.json");
        m.write(f);
        assertThat(EngineManifest.read(f)).isEqualTo(m);
    }

    @Test
    void foreignJsonIsRefusedNamingTheFileAndFormat() throws IOException {
        Path f = dir.resolve("other.json");
        Files.writeString(f, "{\"format\": \"something-else/3\"}");
        assertThatThrownBy(() -> EngineManifest.read(f)).isInstanceOf(IOException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("expected '" + EngineManifest.FORMAT + "'");
        Files.writeString(f, "not json");
        assertThatThrownBy(() -> EngineManifest.read(f)).hasMessageContaining("not an engine manifest");
    }
}
