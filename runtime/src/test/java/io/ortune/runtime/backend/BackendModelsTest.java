package io.ortune.runtime.backend;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.TensorProtoFiles;
import io.ortune.graph.pass.LegacyOpsetUpgradePass;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The 82 real models of the ONNX backend suite (exported from PyTorch): each is read into the IR, converted
 * (opset 1..6 models are lifted to opset 7 by the {@code upgrade-opset} pass, since ONNX Runtime runs nothing
 * older), written back out, and the converted model run in ONNX Runtime must reproduce the shipped expected
 * outputs with the tolerance the ONNX backend tests use (rtol 1e-3, atol 1e-7).
 */
class BackendModelsTest {

    /** The ONNX backend test runner's tolerances for these models. */
    private static final double RTOL = 1e-3;
    private static final double ATOL = 1e-7;

    static Stream<Path> models() throws IOException {
        Path root = Path.of(System.getProperty("ortune.root", "..")).toAbsolutePath().normalize()
                .resolve("testdata/onnx-backend/pytorch-converted");
        if (!Files.isDirectory(root)) {
            throw new IllegalStateException("bundled backend models missing: " + root);
        }
        List<Path> dirs = new ArrayList<>();
        try (Stream<Path> s = Files.list(root)) {
            s.filter(Files::isDirectory).sorted().forEach(dirs::add);
        }
        assertThat(dirs).hasSize(82);
        return dirs.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void convertedModelReproducesExpectedOutputs(Path dir) throws Exception {
        Model model = OnnxReader.read(dir.resolve("model.onnx"));
        byte[] converted = OnnxWriter.toBytes(new LegacyOpsetUpgradePass().run(model).model());
        Path data = dir.resolve("test_data_set_0");
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        List<Tensor> expected = new ArrayList<>();
        SessionOptions options = SessionOptions.builder().intraOpThreads(1)
                .optimizationLevel(GraphOptimizationLevel.DISABLED).build();
        try (InferenceSession session = InferenceSession.fromBytes(converted, options, dir.getFileName().toString())) {
            List<String> inputNames = session.inputNames();
            for (int i = 0; Files.exists(data.resolve("input_" + i + ".pb")); i++) {
                feeds.put(inputNames.get(i), TensorProtoFiles.read(data.resolve("input_" + i + ".pb")));
            }
            for (int i = 0; Files.exists(data.resolve("output_" + i + ".pb")); i++) {
                expected.add(TensorProtoFiles.read(data.resolve("output_" + i + ".pb")));
            }
            Map<String, Tensor> outputs = session.run(feeds);
            List<Tensor> actual = new ArrayList<>(outputs.values());
            assertThat(actual).hasSameSizeAs(expected);
            for (int i = 0; i < expected.size(); i++) {
                assertClose(dir.getFileName() + " output " + i, actual.get(i), expected.get(i));
            }
        }
    }

    private static void assertClose(String what, Tensor actual, Tensor expected) {
        assertThat(actual.dims()).as(what + " dims").containsExactly(expected.dims());
        assertThat(actual.dtype()).as(what + " dtype").isEqualTo(expected.dtype());
        if (expected.dtype() != DataType.FLOAT && expected.dtype() != DataType.DOUBLE) {
            assertThat(actual.contentEquals(expected)).as(what + " values (exact for " + expected.dtype() + ")")
                    .isTrue();
            return;
        }
        double[] a = toDoubles(actual);
        double[] e = toDoubles(expected);
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        for (int i = 0; i < e.length; i++) {
            double err = Math.abs(a[i] - e[i]);
            maxAbs = Math.max(maxAbs, err);
            double excess = err - (ATOL + RTOL * Math.abs(e[i]));
            if (excess > worstExcess || Double.isNaN(a[i]) != Double.isNaN(e[i])) {
                worstExcess = Math.max(excess, worstExcess);
                worst = i;
            }
        }
        if (worst >= 0) {
            fail(what + ": |a-e| > atol + rtol|e| at flat index " + worst + ": actual " + a[worst] + ", expected "
                    + e[worst] + " (max abs error " + maxAbs + ")");
        }
    }

    private static double[] toDoubles(Tensor t) {
        ByteBuffer b = t.bytes();
        int n = Math.toIntExact(t.elementCount());
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = t.dtype() == DataType.FLOAT ? b.getFloat(i * 4) : b.getDouble(i * 8);
        }
        return out;
    }
}
