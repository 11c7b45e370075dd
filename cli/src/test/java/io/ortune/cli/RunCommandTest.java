package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.io.NpyFiles;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.TensorProtoFiles;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ortune run}: a missing input is named before anything runs, a legacy-opset model is upgraded in memory
 * with one notice, and an ONNX Runtime failure is printed once (ours), not again by ONNX Runtime's own logger.
 */
class RunCommandTest {

    private static final String LINEAR = "testdata/onnx-backend/pytorch-converted/test_Linear/";

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime is not available");
    }

    @Test
    void missingAttentionMaskIsNamedUpFront() throws IOException {
        Path model = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":1,\"n_head\":2}", "t"), 1, Form.TRAINING), model);
        Path ids = dir.resolve("ids.npy");
        NpyFiles.write(Tensor.ofLongs("input_ids", new long[] {1, 4}, 1, 2, 3, 4), ids);

        CliRun r = CliRun.of("run", model.toString(), "--input", "input_ids=" + ids, "--output-dir",
                dir.resolve("o").toString());

        assertThat(r.exit()).as(r.toString()).isEqualTo(1);
        assertThat(r.err()).contains("missing input attention_mask", "--input NAME=FILE")
                .doesNotContain("CumSum");
        assertThat(dir.resolve("o")).doesNotExist();
    }

    @Test
    void legacyOpsetModelIsUpgradedInMemoryWithOneNotice() throws IOException {
        Path outDir = dir.resolve("out");

        CliRun r = CliRun.of("run", CliRun.file(LINEAR + "model.onnx"), "--input",
                "0=" + CliRun.file(LINEAR + "test_data_set_0/input_0.pb"), "--output-dir", outDir.toString());

        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.err().lines().filter(l -> l.contains("upgraded in memory"))).hasSize(1);
        assertThat(r.err()).contains("uses opset 6", "to 7");
        float[] got = NpyFiles.read(outDir.resolve("3.npy")).toFloats();
        float[] want = TensorProtoFiles.read(Path.of(CliRun.file(LINEAR + "test_data_set_0/output_0.pb")))
                .toFloats();
        for (int i = 0; i < want.length; i++) {
            // the ONNX backend tests' tolerance for these models: atol 1e-7 + rtol 1e-3
            assertThat((double) Math.abs(got[i] - want[i])).as("element " + i)
                    .isLessThanOrEqualTo(1e-7 + 1e-3 * Math.abs(want[i]));
        }
    }

    /** Runs the real launcher entry point in a child JVM so the native logger's writes to stderr are seen. */
    @Test
    void runtimeFailureIsPrintedOnceWithoutTheNativeLogLine() throws Exception {
        GraphBuilder b = GraphBuilder.create("mm");
        b.output(b.matMul(b.input("a", DataType.FLOAT, "n", "k"), b.input("b", DataType.FLOAT, "k2", "m")), "y");
        Path model = dir.resolve("mm.onnx");
        OnnxWriter.write(b.model(), model);
        Path a = dir.resolve("a.npy");
        Path c = dir.resolve("b.npy");
        NpyFiles.write(Tensor.ofFloats("a", new long[] {2, 3}, new float[6]), a);
        NpyFiles.write(Tensor.ofFloats("b", new long[] {4, 5}, new float[20]), c);

        List<String> args = List.of("run", model.toString(), "--input", "a=" + a, "--input", "b=" + c,
                "--output-dir", dir.resolve("o").toString());

        String[] quiet = child(List.of(), args);
        assertThat(quiet[0]).as(quiet[1]).isEqualTo("1");
        assertThat(quiet[1]).contains("ortune run: error:", "MatMul").doesNotContain("[E:onnxruntime");
        assertThat(quiet[1].lines().filter(l -> l.contains("MatMul"))).as(quiet[1]).hasSize(1);

        // control: with ONNX Runtime's logger at WARNING the native line does appear, so the check above can fail
        String[] loud = child(List.of("-D" + OrtRuntime.LOG_LEVEL_PROPERTY + "=WARNING"), args);
        assertThat(loud[1]).contains("[E:onnxruntime");
    }

    /** Exit code and stderr of {@code java JVM_ARGS -cp <test class path> io.ortune.cli.Main ARGS}. */
    private static String[] child(List<String> jvmArgs, List<String> args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(jvmArgs);
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), Main.class.getName()));
        cmd.addAll(args);
        Process p = new ProcessBuilder(cmd).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("child JVM finished").isTrue();
        return new String[] {Integer.toString(p.exitValue()), err};
    }
}
