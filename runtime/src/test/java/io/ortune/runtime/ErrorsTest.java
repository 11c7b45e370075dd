package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every failure comes back as an exception carrying ONNX Runtime's code and message, and what ortune was doing. */
class ErrorsTest {

    private static InferenceSession add;

    @BeforeAll
    static void open() {
        add = InferenceSession.fromBytes(TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT, "n", 2),
                SessionOptions.defaults(), "add.onnx");
    }

    @AfterAll
    static void close() {
        add.close();
    }

    private static Tensor floats(String name, long[] dims, float... v) {
        return Tensor.ofFloats(name, dims, v);
    }

    @Test
    void wrongInputName() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> add.run(Map.of(
                "a", floats("a", new long[] {1, 2}, 1, 2), "nope", floats("nope", new long[] {1, 2}, 1, 2))));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_ARGUMENT);
        assertThat(e.ortMessage()).contains("Invalid input name: nope");
        assertThat(e.getMessage()).startsWith("running add.onnx (inputs ").contains("ORT_INVALID_ARGUMENT");
    }

    @Test
    void wrongOutputName() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> add.run(Map.of(
                "a", floats("a", new long[] {1, 2}, 1, 2), "b", floats("b", new long[] {1, 2}, 1, 2)),
                List.of("missing")));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_ARGUMENT);
        assertThat(e.ortMessage()).contains("missing");
    }

    @Test
    void wrongElementType() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> add.run(Map.of(
                "a", Tensor.ofDoubles("a", new long[] {1, 2}, 1, 2), "b", floats("b", new long[] {1, 2}, 1, 2))));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_ARGUMENT);
        assertThat(e.ortMessage()).contains("Unexpected input data type").contains("tensor(double)")
                .contains("tensor(float)");
    }

    @Test
    void wrongRank() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> add.run(Map.of(
                "a", floats("a", new long[] {2}, 1, 2), "b", floats("b", new long[] {1, 2}, 1, 2))));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_ARGUMENT);
        assertThat(e.ortMessage()).contains("Invalid rank for input: a");
    }

    @Test
    void wrongFixedDimension() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> add.run(Map.of(
                "a", floats("a", new long[] {1, 3}, 1, 2, 3), "b", floats("b", new long[] {1, 3}, 1, 2, 3))));
        assertThat(e.ortMessage()).contains("Got invalid dimensions for input: ").contains("Got: 3 Expected: 2");
    }

    @Test
    void garbageModelBytes() {
        OrtException e = catchThrowableOfType(OrtException.class, () -> InferenceSession.fromBytes(
                "this is not a model".getBytes(StandardCharsets.US_ASCII), SessionOptions.defaults(), "garbage.onnx"));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_PROTOBUF);
        assertThat(e.getMessage()).isEqualTo("creating session for garbage.onnx: ORT_INVALID_PROTOBUF: "
                + "Failed to load model because protobuf parsing failed.");
    }

    @Test
    void garbageModelFile(@TempDir Path dir) throws Exception {
        Path garbage = dir.resolve("garbage.onnx");
        Files.write(garbage, new byte[] {0x08, (byte) 0xFF, 0x12, 0x7F, 0x01});
        OrtException e = catchThrowableOfType(OrtException.class, () -> InferenceSession.open(garbage));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.INVALID_PROTOBUF);
        assertThat(e.context()).isEqualTo("creating session for " + garbage);
    }

    @Test
    void missingModelFile(@TempDir Path dir) {
        Path missing = dir.resolve("missing.onnx");
        OrtException e = catchThrowableOfType(OrtException.class, () -> InferenceSession.open(missing));
        assertThat(e.errorCode()).isEqualTo(OrtErrorCode.NO_SUCHFILE);
        assertThat(e.getMessage()).contains(missing.toString());
    }

    @Test
    void unsupportedOperatorNamesTheOp() {
        byte[] model = TestModels.unary("NoSuchOp", DataType.FLOAT, DataType.FLOAT, List.of(), 2);
        OrtException e = catchThrowableOfType(OrtException.class, () -> InferenceSession.fromBytes(model));
        assertThat(e.ortMessage()).contains("NoSuchOp");
    }

    @Test
    void cudaWithoutGpuIsAClearMessage() {
        OrtRuntime rt = OrtRuntime.get();
        boolean gpu = rt.hasProvider(ExecutionProvider.CUDA) && Files.exists(Path.of("/dev/nvidia0"));
        Assumptions.assumeFalse(gpu, "a CUDA build and an NVIDIA device are present: CUDA would work here");
        SessionOptions cuda = SessionOptions.builder().cuda(0).build();
        byte[] model = TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT, 2);
        assertThatThrownBy(() -> InferenceSession.fromBytes(model, cuda, "add.onnx"))
                .isInstanceOf(RuntimeUnavailableException.class)
                .hasMessageContaining("CUDA execution provider was requested for add.onnx")
                .hasMessageContaining(rt.hasProvider(ExecutionProvider.CUDA) ? "could not"
                        : "has no CUDA execution provider")
                .hasMessageContaining("ExecutionProvider.CPU");
    }

    @Test
    void badOptionsAreRejectedAtTheBoundary() {
        assertThatThrownBy(() -> SessionOptions.builder().intraOpThreads(-1).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("thread counts");
        assertThatThrownBy(() -> SessionOptions.builder().freeDimension("batch", 0).build())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("batch");
    }

    @Test
    void unknownConfigEntryValueIsReportedByOrt() {
        SessionOptions bad = SessionOptions.builder().configEntry("session.intra_op.allow_spinning", "maybe").build();
        byte[] model = TestModels.binary("Add", DataType.FLOAT, DataType.FLOAT, 2);
        // ORT accepts unknown values at AddSessionConfigEntry time and checks some on session creation; either way
        // nothing crashes and a failure is an OrtException.
        try (InferenceSession s = InferenceSession.fromBytes(model, bad)) {
            assertThat(s.inputNames()).containsExactly("a", "b");
        } catch (OrtException e) {
            assertThat(e.getMessage()).contains("allow_spinning");
        }
    }
}
