package io.ortune.training.objective;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.pass.ShapeInferencePass;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/** Tiny models and ONNX Runtime helpers for the head objectives' tests (optimizations off, one thread). */
final class HeadModels {

    static final int VOCAB = 40;
    static final int HIDDEN = 8;
    static final SessionOptions OPTIONS = SessionOptions.builder()
            .optimizationLevel(GraphOptimizationLevel.DISABLED).intraOpThreads(1).build();

    private HeadModels() {
    }

    /**
     * A one-layer encoder: {@code last_hidden_state = tanh(E[ids] · W + b)}, E [40, 8], W [8, 8], seeded; inputs
     * {@code input_ids}, {@code attention_mask} (int64 [batch, seq]); typed.
     */
    static Model encoder() {
        Model m = new Model(new io.ortune.graph.ir.Graph("tiny"));
        GraphBuilder b = GraphBuilder.on(m);
        Value ids = b.input("input_ids", DataType.INT64, "batch", "seq");
        b.input("attention_mask", DataType.INT64, "batch", "seq");
        Random r = new Random(5);
        Value emb = b.initializer("embeddings.weight", Tensor.ofFloats("embeddings.weight",
                new long[] {VOCAB, HIDDEN}, gaussian(r, VOCAB * HIDDEN, 1.0)));
        Value w = b.initializer("layer.0.dense.weight", Tensor.ofFloats("layer.0.dense.weight",
                new long[] {HIDDEN, HIDDEN}, gaussian(r, HIDDEN * HIDDEN, 0.5)));
        Value bias = b.initializer("layer.0.dense.bias", Tensor.ofFloats("layer.0.dense.bias",
                new long[] {HIDDEN}, gaussian(r, HIDDEN, 0.1)));
        Value h = b.tanh(b.add(b.matMul(b.gather(emb, ids, 0), w), bias));
        b.output(h, "last_hidden_state");
        return new ShapeInferencePass().run(m).model();
    }

    /** A 2-layer GPT-2 (hidden 16, tied head, output {@code logits}), training form, typed. */
    static Model gpt2() {
        Model m = ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":" + VOCAB
                + ",\"n_positions\":32,\"n_embd\":16,\"n_layer\":2,\"n_head\":2}", "head test config"), 11,
                Form.TRAINING);
        return new ShapeInferencePass().run(m).model();
    }

    static float[] gaussian(Random r, int n, double std) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) {
            f[i] = (float) (std * r.nextGaussian());
        }
        return f;
    }

    /** Feeds of {@code rows} right-padded to {@code seq}: ids (pad 0), mask, loss scale 1. */
    static Map<String, Tensor> feeds(List<int[]> rows, int seq) {
        long[] ids = new long[rows.size() * seq];
        long[] mask = new long[ids.length];
        for (int r = 0; r < rows.size(); r++) {
            for (int t = 0; t < rows.get(r).length; t++) {
                ids[r * seq + t] = rows.get(r)[t];
                mask[r * seq + t] = 1;
            }
        }
        Map<String, Tensor> f = new LinkedHashMap<>();
        long[] dims = {rows.size(), seq};
        f.put("input_ids", Tensor.ofLongs("input_ids", dims, ids));
        f.put("attention_mask", Tensor.ofLongs("attention_mask", dims, mask));
        f.put(CausalLmObjective.LOSS_SCALE, Tensor.scalarFloat(CausalLmObjective.LOSS_SCALE, 1f));
        return f;
    }

    /** Seeded random rows of lengths {@code lengths}. */
    static List<int[]> rows(long seed, int... lengths) {
        Random r = new Random(seed);
        return java.util.Arrays.stream(lengths).mapToObj(n -> r.ints(n, 1, VOCAB).toArray()).toList();
    }

    static InferenceSession session(Model m) {
        try {
            return InferenceSession.fromBytes(OnnxWriter.toBytes(m), OPTIONS, m.graph().name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code m} on the feeds it takes. */
    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds, List<String> outputs) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (Value in : m.graph().inputs()) {
            if (feeds.containsKey(in.name())) {
                f.put(in.name(), feeds.get(in.name()));
            }
        }
        try (InferenceSession s = session(m)) {
            return s.run(f, outputs);
        }
    }

    static double[] values(Tensor t) {
        float[] f = t.toFloats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
