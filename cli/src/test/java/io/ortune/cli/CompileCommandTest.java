package io.ortune.cli;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.tensorrt.GpuProbe;
import io.ortune.tensorrt.GpuStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code ortune compile}: input problems first (exit 2), then no GPU (exit 1), nothing written either way. */
class CompileCommandTest {

    @TempDir
    Path dir;

    private String model() throws IOException {
        GraphBuilder b = GraphBuilder.create("mm");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        b.output(b.matMul(x, b.initializer("w", Tensor.ofFloats("w", new long[] {4, 3}, new float[12]))), "y");
        Path p = dir.resolve("m.onnx");
        OnnxWriter.write(b.model(), p);
        return p.toString();
    }

    private String engine() {
        return dir.resolve("m.engine").toString();
    }

    @Test
    void withoutAGpuItFailsFastWithExitOne() throws IOException {
        assumeTrue(GpuProbe.probe() instanceof GpuStatus.Missing, "this machine has a GPU");
        CliRun r = CliRun.of("compile", model(), "-o", engine(), "--precision", "fp16", "--profile",
                "x:1x4,4x4,8x4", "--workspace-mb", "512", "--timing-cache", dir.resolve("c.cache").toString());
        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("ortune compile: error: cannot build a TensorRT engine on this machine",
                "CUDA");
        assertThat(dir.toFile().list()).containsExactly("m.onnx");
    }

    @Test
    void int8OnAModelWithoutQdqIsRefusedFirstNamingTheQuantizeCommand() throws IOException {
        CliRun r = CliRun.of("compile", model(), "-o", engine(), "--precision", "int8");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("run 'ortune quantize --int8 --for tensorrt' first").doesNotContain("Usage:");
    }

    @Test
    void profileThatDoesNotFitIsExitTwoBeforeTheGpu() throws IOException {
        CliRun r = CliRun.of("compile", model(), "-o", engine(), "--precision", "fp32", "--profile", "x:1x5,4x5,8x5");
        assertThat(r.exit()).as(r.toString()).isEqualTo(2);
        assertThat(r.err()).contains("dimension 1 is fixed at 4").doesNotContain("CUDA");
    }

    @Test
    void malformedProfileAndPrecisionAreParseErrors() throws IOException {
        CliRun r = CliRun.of("compile", model(), "-o", engine(), "--precision", "fp16", "--profile", "x:1x4");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--profile 'x:1x4'", "example: input_ids:1x1,4x128,8x512");
        CliRun p = CliRun.of("compile", model(), "-o", engine(), "--precision", "int4");
        assertThat(p.exit()).isEqualTo(2);
        assertThat(p.err()).contains("use one of fp32, fp16, bf16, int8");
    }

    @Test
    void missingArgumentsAreListed() {
        CliRun r = CliRun.of("compile");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("missing IN.onnx, -o model.engine, --precision fp32|fp16|bf16|int8");
    }

    @Test
    void printClasspathListsTheJarsAndTheirTotal() {
        CliRun r = CliRun.of("compile", "--print-classpath");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("org.bytedeco:tensorrt:linux-x86_64", "org.bytedeco:cuda:linux-x86_64",
                "io.ortune:ortune-graph", "total ", "-cp ").doesNotContain("onnxruntime", "MISSING");
    }
}
