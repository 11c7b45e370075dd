package io.ortune.training.qlora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.WeightLayout;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import io.ortune.runtime.SessionOptions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * NF4 models in ONNX Runtime: {@code MatMulBnb4} computes A · deq(W)ᵀ of our codes, and a quantized model equals the
 * float model whose weights are the NF4 round trip.
 */
class Nf4ModelTest {

    static final SessionOptions EXACT = SessionOptions.builder().optimizationLevel(GraphOptimizationLevel.DISABLED)
            .intraOpThreads(1).build();

    static void assumeOrt() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives are not loadable here");
    }

    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds, List<String> outs) throws Exception {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m), EXACT, m.graph().name())) {
            return s.run(feeds, outs);
        }
    }

    /** 5 × 24 = 120 elements pads the second block of 64 (the general path); 4 × 64 fills its blocks (fast path). */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({"5,24", "4,64", "3,7"})
    void matMulBnb4ComputesOurDequantizedWeightWithAndWithoutPadding(int n, int k) throws Exception {
        assumeOrt();
        int m = 3;
        float[] w = Nf4Test.random(n * k, 5);
        Nf4.Quantized q = Nf4.quantize(w, n, k, 64);
        float[] deq = Nf4.dequantize(q);
        GraphBuilder b = GraphBuilder.create("bnb4");
        b.importDomain(Nf4QuantizePass.MS_DOMAIN, 1);
        Value a = b.input("a", DataType.FLOAT, m, k);
        Value packed = b.initializer("w.nf4", Tensor.ofBytes("w.nf4", DataType.UINT8, new long[] {q.packed().length},
                q.packed()));
        Value absmax = b.initializer("w.absmax", Tensor.ofFloats("w.absmax", new long[] {q.absmax().length},
                q.absmax()));
        Value y = b.op(Nf4QuantizePass.MS_DOMAIN, "MatMulBnb4", List.of(a, packed, absmax),
                new Attribute.IntAttr("K", k), new Attribute.IntAttr("N", n), new Attribute.IntAttr("block_size", 64),
                new Attribute.IntAttr("quant_type", 1));
        b.output(y, "y");
        Value wd = Nf4Graph.dequantizeWeight(b, packed, absmax, n, k, 64);
        b.output(wd, "w_deq");
        float[] av = Nf4Test.random(m * k, 9);
        Map<String, Tensor> out = run(b.model(), Map.of("a", Tensor.ofFloats("a", new long[] {m, k}, av)),
                List.of("y", "w_deq"));
        assertThat(out.get("w_deq").toFloats()).containsExactly(deq);
        float[] got = out.get("y").toFloats();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double ref = 0;
                for (int t = 0; t < k; t++) {
                    ref += (double) av[i * k + t] * deq[j * k + t];
                }
                // float32 dot products of 24 terms of size ~4e-4: rounding well under 1e-7 absolute.
                assertThat((double) got[i * n + j]).isCloseTo(ref, org.assertj.core.data.Offset.offset(1e-7 + 1e-5
                        * Math.abs(ref)));
            }
        }
    }

    static Model tinyLlama() {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"llama\",\"vocab_size\":96,"
                + "\"hidden_size\":64,\"intermediate_size\":96,\"num_hidden_layers\":2,\"num_attention_heads\":4,"
                + "\"num_key_value_heads\":2,\"max_position_embeddings\":64,\"tie_word_embeddings\":false}",
                "tiny llama"), 3, Form.TRAINING);
    }

    static Model tinyGpt2() {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":96,"
                + "\"n_positions\":32,\"n_embd\":64,\"n_layer\":2,\"n_head\":4}", "tiny gpt2"), 3, Form.TRAINING);
    }

    /** {@code model} with every weight that {@code quantized} replaced set to its NF4 round trip, in float. */
    static Model roundTripFloat(Model model, Nf4Config cfg) {
        Model m = GraphCopier.copy(model);
        Nf4QuantizePass.Result r = new Nf4QuantizePass(cfg).quantize(model);
        for (LinearSite s : LinearMatcher.find(m.graph()).sites()) {
            if (r.model().graph().initializer(s.weight().name() + ".nf4") == null) {
                continue;
            }
            int n = (int) s.outFeatures();
            int k = (int) s.inFeatures();
            float[] w = s.weight().constant().toFloats();
            boolean inOut = s.layout() == WeightLayout.IN_OUT;
            float[] nk = inOut ? Nf4QuantizePass.transpose(w, k, n) : w;
            Nf4.Quantized q = Nf4.quantize(nk, n, k, cfg.blockSize());
            if (cfg.doubleQuant()) {
                q = new Nf4.Quantized(q.packed(), DoubleQuant.dequantize(DoubleQuant.quantize(q.absmax())), n, k,
                        q.blockSize());
            }
            float[] back = Nf4.dequantize(q);
            float[] stored = inOut ? Nf4QuantizePass.transpose(back, n, k) : back;
            m.graph().setInitializerTensor(s.weight(), Tensor.ofFloats(s.weight().name(),
                    s.weight().constant().dims(), stored));
        }
        return m;
    }

    static Map<String, Tensor> feeds() {
        long[] ids = {1, 5, 9, 33, 2, 60, 7, 8, 90, 11, 4, 3, 2, 1, 0, 17};
        long[] mask = new long[16];
        java.util.Arrays.fill(mask, 1);
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put("input_ids", Tensor.ofLongs("input_ids", new long[] {2, 8}, ids));
        f.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {2, 8}, mask));
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama", "gpt2", "llama-double-quant"})
    void quantizedModelEqualsFloatModelWithRoundTrippedWeights(String which) throws Exception {
        assumeOrt();
        Model base = which.startsWith("gpt2") ? tinyGpt2() : tinyLlama();
        Nf4Config cfg = Nf4Config.defaults().withDoubleQuant(which.endsWith("double-quant"));
        Nf4QuantizePass.Result r = new Nf4QuantizePass(cfg).quantize(base);
        long bnb4 = r.model().graph().nodes().stream().filter(n -> n.opType().equals("MatMulBnb4")).count();
        assertThat(bnb4).isEqualTo(which.startsWith("gpt2") ? 8 : 14);
        assertThat(r.report().skipped()).extracting(s -> s.reason()).allMatch(s -> s.contains("head")
                || s.contains("tied"));
        float[] got = run(r.model(), feeds(), List.of("logits")).get("logits").toFloats();
        float[] want = run(roundTripFloat(base, cfg), feeds(), List.of("logits")).get("logits").toFloats();
        assertThat(got).hasSameSizeAs(want);
        double worst = 0;
        for (int i = 0; i < got.length; i++) {
            worst = Math.max(worst, Math.abs(got[i] - want[i]));
        }
        // Same weights, different kernels (MLAS float MatMul vs the Bnb4 kernel): float32 rounding only.
        assertThat(worst).as("max |logit difference|").isLessThanOrEqualTo(1e-4);
        assertThat(r.report().worstRelFrobenius()).isBetween(0.01, 0.2);
    }

    @Test
    void reportsBitsPerParameterAndRefusesAQuantizedOrLinearFreeModel() {
        Nf4QuantizePass.Result r = new Nf4QuantizePass(Nf4Config.defaults()).quantize(tinyLlama());
        assertThat(r.report().bitsPerParameter()).isCloseTo(4.5, org.assertj.core.data.Offset.offset(0.01));
        assertThat(r.report().summary()).contains("4.500 bits/param");
        assertThatThrownBy(() -> new Nf4QuantizePass(Nf4Config.defaults()).quantize(r.model()))
                .hasMessageContaining("NF4-quantized already");
        GraphBuilder b = GraphBuilder.create("no-linear");
        b.output(b.relu(b.input("x", DataType.FLOAT, 2)), "y");
        assertThatThrownBy(() -> new Nf4QuantizePass(Nf4Config.defaults()).quantize(b.model()))
                .hasMessageContaining("nothing to quantize");
    }

    @Test
    void doubleQuantizationReachesQlorasBitsPerParameterOnA768Square() {
        GraphBuilder b = GraphBuilder.create("square");
        Value x = b.input("x", DataType.FLOAT, 1, 768);
        float[] w = Nf4Test.random(768 * 768, 1);
        Value y = b.scoped("model.layers.0.mlp.up_proj", () -> b.matMul(x, b.transpose(b.initializer(
                "model.layers.0.mlp.up_proj.weight", Tensor.ofFloats("w", new long[] {768, 768}, w)), 1, 0)));
        b.output(b.relu(y), "y");
        Nf4QuantizePass.Result r = new Nf4QuantizePass(Nf4Config.defaults().withDoubleQuant(true))
                .quantize(b.model());
        // 4 + 8/64 + 32/(64·256) = 4.127 (plus one 4-byte offset).
        assertThat(r.report().bitsPerParameter()).isCloseTo(4.127, org.assertj.core.data.Offset.offset(5e-4));
        Node bnb = r.model().graph().nodes().stream().filter(n -> n.opType().equals("MatMulBnb4")).findFirst()
                .orElseThrow(() -> new AssertionError("no MatMulBnb4 node"));
        assertThat(bnb.name()).isEqualTo("/model/layers.0/mlp/up_proj/MatMulBnb4");
    }
}
