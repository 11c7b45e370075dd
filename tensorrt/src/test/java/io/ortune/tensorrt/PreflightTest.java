package io.ortune.tensorrt;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.tensorrt.TinyModels.Qdq;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PreflightTest {

    @TempDir
    Path dir;

    private Path write(Model m, String name) throws IOException {
        Path p = dir.resolve(name);
        OnnxWriter.write(m, p);
        return p;
    }

    private CompileSettings settings(Path model, Precision p, String... profiles) {
        return new CompileSettings(model, dir.resolve("out.engine"), p,
                java.util.Arrays.stream(profiles).map(ProfileSpec::parse).toList(), OptionalLong.empty(), null);
    }

    private List<String> files() throws IOException {
        try (var s = Files.list(dir)) {
            return s.map(f -> f.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void int8WithoutQdqIsRefusedBeforeAnythingElseAndSaysWhatToRun() throws IOException {
        Path m = write(TinyModels.floatMatMul(), "float.onnx");
        assertThatThrownBy(() -> Preflight.check(settings(m, Precision.INT8 /* no profile either */)))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("--precision int8 needs explicit quantization")
                .hasMessageContaining("run 'ortune quantize --int8 --for tensorrt' first")
                .satisfies(e -> assertThat(((CompileException) e).kind()).isEqualTo(CompileException.Kind.INPUT));
        assertThat(files()).containsExactly("float.onnx");
    }

    @Test
    void int8WithAsymmetricQdqListsEveryError() throws IOException {
        Path m = write(TinyModels.qdqMatMul(Qdq.good().zeroPoint(5, io.ortune.graph.ir.DataType.INT8)), "asym.onnx");
        assertThatThrownBy(() -> Preflight.check(settings(m, Precision.INT8, "x:1x4,4x4,8x4")))
                .isInstanceOf(CompileException.class)
                .satisfies(e -> assertThat(((CompileException) e).issues()).hasSize(3)
                        .allSatisfy(i -> assertThat(i).startsWith("error: ").contains("asymmetric")));
    }

    @Test
    void badProfileIsAnInputErrorListingEachProblem() throws IOException {
        Path m = write(TinyModels.twoInputs(), "two.onnx");
        assertThatThrownBy(() -> Preflight.check(settings(m, Precision.FP16, "input_ids:1,2,3", "typo:1x1,1x1,1x1")))
                .isInstanceOf(CompileException.class)
                .hasMessageContaining("the optimization profiles do not fit the model")
                .satisfies(e -> assertThat(((CompileException) e).issues()).hasSize(3));
        assertThat(files()).containsExactly("two.onnx");
    }

    @Test
    void goodRequestCarriesTheModelSha256() throws Exception {
        Path m = write(TinyModels.qdqMatMul(Qdq.good()), "q.onnx");
        Preflight p = Preflight.check(settings(m, Precision.INT8, "x:1x4,4x4,8x4"));
        String expected = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                .digest(Files.readAllBytes(m)));
        assertThat(p.sourceSha256()).isEqualTo(expected).hasSize(64);
        assertThat(p.qdq().int8Ready()).isTrue();
        assertThat(p.warnings()).isEmpty();
    }

    @Test
    void qdqModelInAFloatBuildIsAWarning() throws IOException {
        Path m = write(TinyModels.qdqMatMul(Qdq.good()), "q.onnx");
        assertThat(Preflight.check(settings(m, Precision.FP16, "x:1x4,4x4,8x4")).warnings()).singleElement()
                .asString().contains("3 Q/DQ nodes", "use --precision int8");
    }

    @Test
    void missingModelAndDirectoryOutputsAreNamed() throws IOException {
        assertThatThrownBy(() -> Preflight.check(settings(dir.resolve("nope.onnx"), Precision.FP32)))
                .isInstanceOf(NoSuchFileException.class).hasMessageContaining("nope.onnx");
        Path m = write(TinyModels.floatMatMul(), "f.onnx");
        Files.createDirectory(dir.resolve("out.engine"));
        assertThatThrownBy(() -> Preflight.check(settings(m, Precision.FP32, "x:1x4,4x4,8x4")))
                .isInstanceOf(FileSystemException.class).hasMessageContaining("engine file (-o) is a directory");
        CompileSettings nowhere = new CompileSettings(m, dir.resolve("no/such/x.engine"), Precision.FP32,
                List.of(ProfileSpec.parse("x:1x4,4x4,8x4")), OptionalLong.empty(), null);
        assertThatThrownBy(() -> Preflight.check(nowhere)).isInstanceOf(FileSystemException.class)
                .hasMessageContaining("the folder of the engine file (-o)").hasMessageContaining("does not exist");
        CompileSettings badCache = new CompileSettings(m, dir.resolve("x.engine"), Precision.FP32,
                List.of(ProfileSpec.parse("x:1x4,4x4,8x4")), OptionalLong.empty(), dir.resolve("gone/trt.cache"));
        assertThatThrownBy(() -> Preflight.check(badCache)).hasMessageContaining("folder of the timing cache");
    }
}
