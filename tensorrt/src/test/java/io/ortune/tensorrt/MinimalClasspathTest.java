package io.ortune.tensorrt;

import io.ortune.graph.onnx.OnnxWriter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class MinimalClasspathTest {

    @TempDir
    Path dir;

    private static final MinimalClasspath CP = MinimalClasspath.resolve(MinimalClasspathTest.class.getClassLoader());

    @Test
    void everyNeededArtifactIsFoundAndTheSetIsWellUnder64MiB() {
        assertThat(CP.missing()).isEmpty();
        assertThat(CP.entries()).hasSize(12);
        assertThat(CP.totalBytes()).isPositive().isLessThan(64L << 20);
        assertThat(CP.classpath()).doesNotContain("onnxruntime").contains("tensorrt-10.15-1.5.13-linux-x86_64.jar",
                "cuda-13.1-9.19-1.5.13-linux-x86_64.jar").doesNotContain("redist");
        System.out.printf("minimal classpath: %d entries, %.1f MiB%n", CP.entries().size(),
                CP.totalBytes() / 1048576.0);
    }

    /** A fresh JVM with only those jars gets through the preflight to the device check (or builds, on a GPU). */
    @Test
    void aJvmWithOnlyThoseJarsReachesTheDeviceCheck() throws Exception {
        Path model = dir.resolve("m.onnx");
        OnnxWriter.write(TinyModels.floatMatMul(), model);
        Path probe = Path.of(MinimalClasspathTest.class.getResource("/MinimalClasspathProbe.java").toURI());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-cp", CP.classpath(), probe.toString(), model.toString(),
                dir.resolve("m.engine").toString(), "x:1x4,4x4,8x4").redirectErrorStream(true).start();
        String out = read(p);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(out).as(out).containsAnyOf("device: cannot build a TensorRT engine", "built");
        assertThat(p.exitValue()).isZero();
    }

    private static String read(Process p) throws IOException {
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    @Test
    void platformNameIsJavaCpps() {
        assertThat(MinimalClasspath.platform()).isIn(List.of("linux-x86_64", "linux-arm64", "windows-x86_64",
                "macosx-x86_64", "macosx-arm64")).isEqualTo(org.bytedeco.javacpp.Loader.getPlatform());
    }
}
