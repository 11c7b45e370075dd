package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny random ortune-built models, feeds for their inputs, and ONNX Runtime runs (optimizations off). */
final class PeftModels {

    static final SessionOptions OPTIONS = SessionOptions.builder()
            .optimizationLevel(GraphOptimizationLevel.DISABLED).intraOpThreads(1).build();
    static final int TOKENS = 5;

    private PeftModels() {
    }

    /** GPT-2: Conv1D weights [in, out], tied head. */
    static Model gpt2(Form form) {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":24,\"n_layer\":2,\"n_head\":3}", "tiny gpt2"), 7, form);
    }

    /** Llama with grouped-query attention, untied head. */
    static Model llama(Form form) {
        return ModelFactory.randomInit(ModelConfigs.parse(llamaJson(""), "tiny llama"), 11, form);
    }

    /** Llama with the head tied to the embedding. */
    static Model llamaTied(Form form) {
        return ModelFactory.randomInit(ModelConfigs.parse(llamaJson(",\"tie_word_embeddings\":true"),
                "tiny tied llama"), 13, form);
    }

    /** A BERT-style sequence classifier. */
    static Model bert() {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"bert\",\"vocab_size\":60,"
                + "\"hidden_size\":24,\"num_hidden_layers\":2,\"num_attention_heads\":3,\"intermediate_size\":40,"
                + "\"max_position_embeddings\":16,\"num_labels\":3,\"type_vocab_size\":2}", "tiny bert"), 17,
                Form.TRAINING);
    }

    private static String llamaJson(String extra) {
        return "{\"model_type\":\"llama\",\"vocab_size\":40,\"hidden_size\":32,\"intermediate_size\":48,"
                + "\"num_hidden_layers\":2,\"max_position_embeddings\":64,\"rms_norm_eps\":1e-5,"
                + "\"num_attention_heads\":4,\"num_key_value_heads\":2" + extra + "}";
    }

    /** Feeds for every graph input of an ortune decoder/encoder: random ids, full mask, empty pasts. */
    static Map<String, Tensor> feeds(Model m, long seed) {
        Random rnd = new Random(seed);
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            if (in.isInitializer()) {
                continue;
            }
            String n = in.name();
            long[] ids = new long[TOKENS];
            if (n.equals("input_ids")) {
                for (int i = 0; i < TOKENS; i++) {
                    ids[i] = rnd.nextInt(40);
                }
                feeds.put(n, Tensor.ofLongs(n, new long[] {1, TOKENS}, ids));
            } else if (n.equals("attention_mask")) {
                java.util.Arrays.fill(ids, 1);
                feeds.put(n, Tensor.ofLongs(n, new long[] {1, TOKENS}, ids));
            } else if (n.equals("position_ids")) {
                for (int i = 0; i < TOKENS; i++) {
                    ids[i] = i;
                }
                feeds.put(n, Tensor.ofLongs(n, new long[] {1, TOKENS}, ids));
            } else if (n.equals("token_type_ids")) {
                feeds.put(n, Tensor.ofLongs(n, new long[] {1, TOKENS}, ids));
            } else if (n.startsWith("past_key_values.")) {
                long heads = ((Dim.Known) in.shape().dim(1)).size();
                long dim = ((Dim.Known) in.shape().dim(3)).size();
                feeds.put(n, Tensor.ofFloats(n, new long[] {1, heads, 0, dim}));
            } else {
                throw new IllegalArgumentException("no feed rule for input '" + n + "'");
            }
        }
        return feeds;
    }

    /** Every graph output's values (float outputs only), by name. */
    static Map<String, float[]> run(Model m, Map<String, Tensor> feeds) {
        List<String> outs = new ArrayList<>();
        for (Value v : m.graph().outputs()) {
            outs.add(v.name());
        }
        try (InferenceSession s = InferenceSession.fromBytes(bytes(m), OPTIONS, m.graph().name())) {
            Map<String, Tensor> got = s.run(feeds, outs);
            Map<String, float[]> out = new LinkedHashMap<>();
            for (String o : outs) {
                if (got.get(o).dtype() == DataType.FLOAT) {
                    out.put(o, got.get(o).toFloats());
                }
            }
            return out;
        }
    }

    static byte[] bytes(Model m) {
        try {
            return OnnxWriter.toBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Bit-for-bit equality of every output (as float values: +0 and -0 count as equal). */
    static void assertIdentical(String what, Map<String, float[]> expected, Map<String, float[]> actual) {
        assertThat(actual.keySet()).as(what + ": outputs").containsExactlyElementsOf(expected.keySet());
        for (String k : expected.keySet()) {
            float[] e = expected.get(k);
            float[] a = actual.get(k);
            assertThat(a.length).as(what + ": length of " + k).isEqualTo(e.length);
            for (int i = 0; i < e.length; i++) {
                if (e[i] != a[i]) {
                    throw new AssertionError(what + ": output " + k + "[" + i + "] = " + a[i] + ", expected exactly "
                            + e[i]);
                }
            }
        }
    }

    /** |a − e| ≤ atol + rtol·|e| for every element of every output; the failure names the worst element. */
    static void assertClose(String what, Map<String, float[]> expected, Map<String, float[]> actual, double atol,
                            double rtol) {
        assertThat(actual.keySet()).as(what + ": outputs").containsExactlyElementsOf(expected.keySet());
        for (String k : expected.keySet()) {
            assertClose(what + ": " + k, toDoubles(expected.get(k)), toDoubles(actual.get(k)), atol, rtol);
        }
    }

    static void assertClose(String what, double[] e, double[] a, double atol, double rtol) {
        assertThat(a.length).as(what + ": length").isEqualTo(e.length);
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < e.length; i++) {
            double d = Math.abs(a[i] - e[i]);
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(e[i]), 1e-30));
            double excess = d - (atol + rtol * Math.abs(e[i]));
            if (!(excess <= 0) && (worst < 0 || excess > worstExcess)) {
                worst = i;
                worstExcess = excess;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(String.format(java.util.Locale.ROOT, "%s: element %d = %.9g, expected %.9g "
                    + "(|a-e| <= %.1g + %.1g*|e| fails); max abs err %.3g, max rel err %.3g", what, worst, a[worst],
                    e[worst], atol, rtol, maxAbs, maxRel));
        }
    }

    static double[] toDoubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    /** A copy of {@code m}'s initializer {@code name} set to seeded normal values times {@code std}. */
    static void randomize(Graph g, String name, double std, long seed) {
        Value v = g.initializer(name);
        assertThat(v).as("initializer " + name).isNotNull();
        Random rnd = new Random(seed);
        float[] f = new float[Math.toIntExact(v.constant().elementCount())];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (rnd.nextGaussian() * std);
        }
        g.setInitializerTensor(v, Tensor.ofFloats(name, v.constant().dims(), f));
    }
}
