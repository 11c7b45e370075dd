package io.ortune.cli;

import io.ortune.graph.ir.Tensor;
import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.TensorProtoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ortune inspect}, {@code convert} and {@code run}: what they print, write, and how they fail. */
class FoundationCommandsTest {

    private static final String LINEAR = "testdata/onnx-backend/pytorch-converted/test_Linear/";

    @TempDir
    Path dir;

    @Test
    void inspectReportsSignatureParametersAndOps() {
        CliRun r = CliRun.of("inspect", CliRun.file(LINEAR + "model.onnx"));

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("ir_version 3", "ai.onnx 6", "float[4,10]", "float[4,8]",
                "parameters: 88 in 352 B", "Gemm");
    }

    @Test
    void convertAppliesPassesAndWritesExternalData() throws Exception {
        Path out = dir.resolve("linear.onnx");

        CliRun r = CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), out.toString(), "--pass", "upgrade-opset",
                "--pass", "dce", "--external-data", "--external-threshold", "16");

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("upgraded default-domain opset 6 -> 7", "wrote " + out);
        assertThat(dir.resolve("linear.onnx.data")).exists();
        assertThat(OnnxReader.read(out).opsetVersion("")).isEqualTo(7);
    }

    @Test
    void convertingBackToInlineOverTheSameFileRemovesTheStaleDataFile() throws Exception {
        Path out = dir.resolve("linear.onnx");
        assertThat(CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), out.toString(), "--external-data",
                "--external-threshold", "16").exit()).isZero();
        assertThat(dir.resolve("linear.onnx.data")).exists();

        CliRun r = CliRun.of("convert", out.toString(), out.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(dir.resolve("linear.onnx.data")).doesNotExist();
        assertThat(OnnxReader.read(out).graph().initializers()).isNotEmpty();
    }

    @Test
    void runWritesEachOutputAsPbAndNpyMatchingTheExpectedOutput() throws Exception {
        Path model = dir.resolve("linear7.onnx");
        assertThat(CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), model.toString(), "--pass",
                "upgrade-opset").exit()).isZero();
        Path outDir = dir.resolve("out");

        CliRun r = CliRun.of("run", model.toString(), "--input",
                "0=" + CliRun.file(LINEAR + "test_data_set_0/input_0.pb"), "--output-dir", outDir.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        Tensor expected = TensorProtoFiles.read(Path.of(CliRun.file(LINEAR + "test_data_set_0/output_0.pb")));
        float[] pb = TensorProtoFiles.read(outDir.resolve("3.pb")).toFloats();
        float[] npy = NpyFiles.read(outDir.resolve("3.npy")).toFloats();
        float[] want = expected.toFloats();
        assertThat(npy).containsExactly(pb);
        for (int i = 0; i < want.length; i++) {
            // the ONNX backend tests' tolerance for these models: atol 1e-7 + rtol 1e-3
            assertThat((double) Math.abs(pb[i] - want[i])).as("element " + i).isLessThanOrEqualTo(1e-7 + 1e-3 * Math.abs(want[i]));
        }
    }

    @Test
    void runAcceptsNpyInputs() throws Exception {
        Path model = dir.resolve("linear7.onnx");
        CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), model.toString(), "--pass", "upgrade-opset");
        Path npy = dir.resolve("x.npy");
        NpyFiles.write(TensorProtoFiles.read(Path.of(CliRun.file(LINEAR + "test_data_set_0/input_0.pb"))), npy);

        CliRun r = CliRun.of("run", model.toString(), "--input", "0=" + npy, "--output-dir", dir.resolve("o").toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(dir.resolve("o/3.npy")).exists();
    }

    @Test
    void missingInputFileFailsWithOneLineAndWritesNothing() {
        Path outDir = dir.resolve("never");

        CliRun r = CliRun.of("run", CliRun.file(LINEAR + "model.onnx"), "--input", "0=" + dir.resolve("absent.pb"),
                "--output-dir", outDir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("absent.pb", "input '0' file not found").doesNotContain("\tat ");
        assertThat(outDir).doesNotExist();
    }

    @Test
    void unknownInputNameListsTheModelsInputs() throws Exception {
        Path model = dir.resolve("linear7.onnx");
        CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), model.toString(), "--pass", "upgrade-opset");

        CliRun r = CliRun.of("run", model.toString(), "--input",
                "x=" + CliRun.file(LINEAR + "test_data_set_0/input_0.pb"), "--output-dir", dir.toString());

        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err()).contains("the model has no input 'x'", "[0]");
    }

    @Test
    void garbageModelFailsClearlyAndDebugAddsTheStackTrace() throws Exception {
        Path bad = dir.resolve("bad.onnx");
        Files.write(bad, new byte[] {0x08, (byte) 0xff, (byte) 0xff, 0x12, 0x7f, 0x01});

        CliRun plain = CliRun.of("inspect", bad.toString());
        CliRun debug = CliRun.of("inspect", bad.toString(), "--debug");

        assertThat(plain.exit()).isEqualTo(1);
        assertThat(plain.err()).contains("bad.onnx").doesNotContain("\tat ");
        assertThat(debug.exit()).isEqualTo(1);
        assertThat(debug.err()).contains("\tat ");
    }

    @Test
    void badUsageExitsTwo() {
        assertThat(CliRun.of("convert", "only-one-arg.onnx").exit()).isEqualTo(2);
        assertThat(CliRun.of("convert", CliRun.file(LINEAR + "model.onnx"), dir.resolve("o.onnx").toString(),
                "--pass", "no-such-pass").exit()).isEqualTo(2);
        assertThat(CliRun.of("run", CliRun.file(LINEAR + "model.onnx"), "--input", "0=a.pb", "--output-dir",
                dir.toString(), "--provider", "tpu").exit()).isEqualTo(2);
        assertThat(CliRun.of("no-such-verb").exit()).isEqualTo(2);
    }
}
