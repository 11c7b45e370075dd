package io.ortune.tensorrt;

import io.ortune.graph.onnx.OnnxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class TensorRtCompilerTest {

    @TempDir
    Path dir;

    private CompileSettings settings(Precision p, String profile) throws IOException {
        Path model = dir.resolve("m.onnx");
        OnnxWriter.write(TinyModels.floatMatMul(), model);
        return new CompileSettings(model, dir.resolve("m.engine"), p, List.of(ProfileSpec.parse(profile)),
                OptionalLong.of(256), dir.resolve("trt.cache"));
    }

    @Test
    void withoutAGpuItFailsAfterThePreflightAndWritesNothing() throws IOException {
        assumeTrue(GpuProbe.probe() instanceof GpuStatus.Missing, "this machine has a GPU; the device path runs");
        CompileSettings s = settings(Precision.FP16, "x:1x4,4x4,8x4");
        assertThatThrownBy(() -> TensorRtCompiler.compile(s, false)).isInstanceOf(CompileException.class)
                .hasMessageContaining("cannot build a TensorRT engine on this machine")
                .hasMessageContaining("passed every check that needs no GPU")
                .satisfies(e -> assertThat(((CompileException) e).kind()).isEqualTo(CompileException.Kind.DEVICE));
        assertThat(dir.toFile().list()).containsExactly("m.onnx");
    }

    @Test
    void aBadProfileIsReportedBeforeTheDeviceOnEveryMachine() throws IOException {
        CompileSettings s = settings(Precision.FP16, "x:1x5,4x5,8x5");
        assertThatThrownBy(() -> TensorRtCompiler.compile(s, false)).isInstanceOf(CompileException.class)
                .hasMessageContaining("dimension 1 is fixed at 4")
                .satisfies(e -> assertThat(((CompileException) e).kind()).isEqualTo(CompileException.Kind.INPUT));
    }

    /** The device path: builds a real fp16 engine; skipped (with the probe's reason) where there is no GPU. */
    @Test
    void buildsAnEngineAndItsManifestOnAGpu() throws IOException {
        GpuStatus gpu = GpuProbe.probe();
        assumeTrue(gpu instanceof GpuStatus.Ready, () -> "no usable GPU/TensorRT: "
                + ((GpuStatus.Missing) gpu).reason());
        CompileSettings s = settings(Precision.FP16, "x:1x4,4x4,8x4");
        TensorRtCompiler.CompileResult r = TensorRtCompiler.compile(s, false);
        assertThat(Files.size(s.engine())).isEqualTo(r.manifest().engineBytes()).isPositive();
        assertThat(EngineManifest.read(s.manifest())).isEqualTo(r.manifest());
        assertThat(r.manifest().sourceSha256()).isEqualTo(Sha256.of(s.model()));
        assertThat(r.manifest().engineSha256()).isEqualTo(Sha256.of(s.engine()));
        assertThat(Files.size(s.timingCache())).isPositive();
        assertThat(r.manifest().layers()).isNotEmpty();
    }
}
