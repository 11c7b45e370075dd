package io.ortune.export.merge;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.pass.Opset13UpgradePass;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Bases, feeds, "training" of adapter tensors, ORT runs and the house comparison for the merge tests. */
final class Fixtures {

    /**
     * fp32 ONNX Runtime: merged weights (float64 fold, one rounding) vs the unmerged graph's float32 adapter path;
     * the contract's 1e-5 relative, with 1e-5 absolute for logits near zero.
     */
    static final double ATOL = 1e-5;
    static final double RTOL = 1e-5;

    private Fixtures() {
    }

    static Path root() {
        return Path.of(System.getProperty("ortune.root", "..")).toAbsolutePath().normalize();
    }

    /** An ortune-built tiny decoder: {@code gpt2-tiny} (Conv1D [in,out] weights) or {@code llama-tiny-gqa}. */
    static Model decoder(String name) {
        Path dir = root().resolve("models/src/test/resources/golden").resolve(name);
        try {
            return ModelFactory.fromHuggingFace(dir.resolve("config.json"), dir.resolve("model.safetensors"),
                    Form.TRAINING);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Model miniLm;

    /** all-MiniLM-L6-v2 from the langchain4j jar, lifted to opset 13 (read once; callers must not change it). */
    static synchronized Model miniLm() throws IOException {
        if (miniLm == null) {
            Path dir = root().resolve("export/target/merge-fixtures");
            Files.createDirectories(dir);
            miniLm = readMiniLm(dir);
        }
        return miniLm;
    }

    /** Copied out of the jar under target/ (not a per-test folder: the IR may read the file lazily). */
    private static Model readMiniLm(Path dir) throws IOException {
        Path file = dir.resolve("all-minilm-l6-v2.onnx");
        if (!Files.exists(file)) {
            try (InputStream in = Fixtures.class.getResourceAsStream("/all-minilm-l6-v2.onnx")) {
                assertThat(in).as("all-minilm-l6-v2.onnx on the test classpath").isNotNull();
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return new Opset13UpgradePass().run(OnnxReader.read(file)).model();
    }

    /** Two rows of eight tokens (ids below 50), all visible; token_type_ids when {@code bert}. */
    static Map<String, Tensor> feeds(boolean bert) {
        long[] ids = {11, 5, 42, 7, 3, 19, 28, 1, 9, 33, 2, 17, 40, 6, 24, 13};
        long[] ones = new long[ids.length];
        java.util.Arrays.fill(ones, 1);
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put("input_ids", Tensor.ofLongs("input_ids", new long[] {2, 8}, ids));
        f.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {2, 8}, ones));
        if (bert) {
            f.put("token_type_ids", Tensor.ofLongs("token_type_ids", new long[] {2, 8}, new long[ids.length]));
        }
        return f;
    }

    /** Sets every tensor of adapter {@code name} to seeded random values (scales around 1), as training would. */
    static Model trained(Model m, String name, long seed) {
        Random rnd = new Random(seed);
        AdapterInfo info = PeftMetadata.adapter(m, name).orElseThrow();
        for (String init : info.tensors().values()) {
            Value v = m.graph().initializer(init);
            boolean scale = init.contains("magnitude_vector") || init.contains(".ia3_l.");
            float[] x = new float[(int) v.constant().elementCount()];
            for (int i = 0; i < x.length; i++) {
                x[i] = (float) (rnd.nextGaussian() * 0.2 + (scale ? 1 : 0));
            }
            m.graph().setInitializerTensor(v, Tensor.ofFloats(v.name(), v.constant().dims(), x));
        }
        return m;
    }

    static Tensor run(Model m, Map<String, Tensor> feeds, String output) {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(feeds).get(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Asserts {@code |a−b| ≤ atol + rtol·|b|} elementwise, naming the worst index; returns max |a−b|. */
    static double assertClose(String what, Tensor actual, Tensor expected, double atol, double rtol) {
        assertThat(actual.dims()).as(what + ": shape").containsExactly(expected.dims());
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(expected.dtype());
        float[] a = actual.toFloats();
        float[] e = expected.toFloats();
        return assertClose(what, toDoubles(a), toDoubles(e), atol, rtol);
    }

    static double assertClose(String what, double[] a, double[] e, double atol, double rtol) {
        assertThat(a.length).as(what + ": size").isEqualTo(e.length);
        double maxAbs = 0;
        int worst = -1;
        double worstExcess = 0;
        for (int i = 0; i < a.length; i++) {
            double diff = Math.abs(a[i] - e[i]);
            maxAbs = Math.max(maxAbs, diff);
            double excess = diff - (atol + rtol * Math.abs(e[i]));
            if (Double.isNaN(diff) || excess > worstExcess) {
                worstExcess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": |a-b| <= " + atol + " + " + rtol + "*|b| fails at index " + worst
                    + ": actual " + a[worst] + ", expected " + e[worst] + "; max abs error " + maxAbs);
        }
        return maxAbs;
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    static List<String> ops(Model m) {
        return m.graph().nodes().stream().map(Node::opType).toList();
    }

    /** The merged model is the base's shape: same ops, inputs, outputs, initializer names, no PEFT keys. */
    static void assertShapedLikeBase(Model merged, Model base) {
        assertThat(ops(merged).stream().sorted().toList()).as("op list (as a multiset: node order is topological)")
                .containsExactlyElementsOf(ops(base).stream().sorted().toList());
        assertThat(merged.graph().initializers().keySet()).as("initializer names")
                .containsExactlyInAnyOrderElementsOf(base.graph().initializers().keySet());
        assertThat(merged.graph().inputs().stream().map(Value::name).toList()).as("inputs")
                .containsExactlyElementsOf(base.graph().inputs().stream().map(Value::name).toList());
        assertThat(merged.graph().outputs().stream().map(Value::name).toList()).as("outputs")
                .containsExactlyElementsOf(base.graph().outputs().stream().map(Value::name).toList());
        assertThat(merged.metadataProps().keySet()).as("metadata")
                .noneMatch(k -> k.startsWith(PeftMetadata.PREFIX) || k.equals(PeftMetadata.TRAINABLE));
    }
}
