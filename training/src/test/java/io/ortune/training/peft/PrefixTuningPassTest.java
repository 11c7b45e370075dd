package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.AttentionMatcher;
import io.ortune.graph.peft.AttentionSite;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.models.arch.Form;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Prefix tuning on ortune's GPT-2, Llama (GQA) and BERT and on the all-MiniLM-L6-v2 export, run in ONNX Runtime. */
class PrefixTuningPassTest {

    static final int P = 3;
    static final String EMB = "prompt_encoder.default.embedding.weight";
    static final String MASK = "prompt_encoder.default.attention_mask";

    @Test
    void matcherFindsEveryAttentionWithItsGeometry() {
        List<AttentionSite> gpt = AttentionMatcher.find(MethodModels.gpt2(Form.TRAINING).graph());
        assertThat(gpt).hasSize(2).allMatch(s -> s.kvHeads() == 2 && s.headDim() == 8);
        List<AttentionSite> llama = AttentionMatcher.find(MethodModels.llama(Form.TRAINING).graph());
        assertThat(llama).hasSize(2).allMatch(s -> s.kvHeads() == 2 && s.headDim() == 4);
        assertThat(llama.get(0).key().reader().opType()).as("looks through repeat_kv").isEqualTo("Unsqueeze");
        assertThat(llama.get(1).layer()).hasValue(1);
        assertThat(AttentionMatcher.find(MethodModels.bert().graph())).hasSize(2)
                .allMatch(s -> s.kvHeads() == 2 && s.headDim() == 8);
        List<AttentionSite> mini = AttentionMatcher.find(MethodModels.miniLm().graph());
        assertThat(mini).hasSize(6).allMatch(s -> s.kvHeads() == 12 && s.headDim() == 32
                && s.key().layout() == AttentionSite.Layout.SEQUENCE_FIRST
                && s.value().layout() == AttentionSite.Layout.HEADS_FIRST);
        assertThat(mini.get(0).module()).isEqualTo("encoder.layer.0.attention.self");
    }

    /**
     * With the prefix columns masked out, every model computes what its base computes (decoders: on the real tokens;
     * a padding query of the base sees no key at all and its row is meaningless). Float32, longer softmax rows with
     * exact zeros: atol 1e-6, rtol 1e-5.
     */
    @Test
    void maskedPrefixGivesTheBaseOutputs() {
        for (Model base : List.of(MethodModels.gpt2(Form.TRAINING), MethodModels.llama(Form.TRAINING))) {
            String before = ModelPrinter.print(base);
            Model m = masked(new PrefixTuningPass(PrefixTuningConfig.of(P)).inject(base).model());
            assertThat(ModelPrinter.print(base)).as("input model untouched").isEqualTo(before);
            assertThat(ModelValidator.validate(m).errors()).isEmpty();
            Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 5, 1);
            long[] mask = feeds.get("attention_mask").toLongs();
            MethodClose.assertClose(base.graph().name() + ": masked prefix vs base",
                    PromptTuningPassTest.realTokens(MethodOrt.run(m, feeds, "logits"), mask),
                    PromptTuningPassTest.realTokens(MethodOrt.run(base, feeds, "logits"), mask), 1e-6, 1e-5,
                    "float32, longer rows with exact zeros");
        }
        Model bert = MethodModels.bert();
        Map<String, Tensor> bf = MethodModels.bertFeeds(2, 5, MethodModels.VOCAB, 2);
        MethodClose.assertClose("bert: masked prefix vs base",
                MethodOrt.run(masked(new PrefixTuningPass(PrefixTuningConfig.of(P)).inject(bert).model()), bf, "logits"),
                MethodOrt.run(bert, bf, "logits"), 1e-6, 1e-5, "float32, longer rows with exact zeros");
    }

    @Test
    void miniLmExport() {
        Model base = MethodModels.miniLm();
        Injection inj = new PrefixTuningPass(PrefixTuningConfig.of(P)).inject(base);
        // 6 layers x keys and values x 12 heads x 32.
        assertThat(inj.report().trainableParams()).isEqualTo((long) P * 6 * 2 * 384);
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 7, 30522, 4);
        Tensor ref = MethodOrt.run(base, feeds, "last_hidden_state");
        MethodClose.assertClose("MiniLM: masked prefix vs base", MethodOrt.run(masked(inj.model()), feeds, "last_hidden_state"),
                ref, 1e-5, 1e-5, "float32 over 6 layers of width 384, longer rows with exact zeros");
        assertThat(MethodOrt.values(MethodOrt.run(inj.model(), feeds, "last_hidden_state"))).as("a visible prefix matters")
                .isNotEqualTo(MethodOrt.values(ref));
    }

    /**
     * Unmasked, every attention equals a float64 reference softmax(q·[prefix_k; k]ᵀ/√d + [0 | mask])·[prefix_v; v]
     * computed from the q, k, v and mask ONNX Runtime saw, with the prefix read from the embedding in PEFT's layout
     * and, for grouped-query attention, query head h reading kv head h / groups. Float32 vs float64 over rows of
     * P + T ≤ 8 terms: atol 1e-5, rtol 1e-4.
     */
    @Test
    void attentionEqualsFloat64ReferenceWithPrefixedKeysAndValues() {
        for (Model base : List.of(MethodModels.llama(Form.TRAINING), MethodModels.gpt2(Form.TRAINING))) {
            Injection inj = new PrefixTuningPass(PrefixTuningConfig.of(P).withSeed(5)).inject(base);
            Model m = GraphCopier.copy(inj.model());
            Graph g = m.graph();
            List<AttentionSite> sites = AttentionMatcher.find(g);
            float[] emb = g.initializer(EMB).constant().toFloats();
            Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 5, 3);
            for (int layer = 0; layer < sites.size(); layer++) {
                AttentionSite s = sites.get(layer);
                Value q = s.scores().input(0);
                Value k = s.key().tensor().producer().input(1);
                Value v = s.value().tensor().producer().input(1);
                Value mask = s.mask().producer().input(1);
                Value out = s.mix().output();
                for (Value x : List.of(q, k, v, mask, out)) {
                    if (!g.outputs().contains(x)) {
                        g.addOutput(x);
                    }
                }
                Map<String, Tensor> got = MethodOrt.run(m, feeds, List.of(q.name(), k.name(), v.name(), mask.name(),
                        out.name()));
                double[] expected = PrefixAttentionReference.attention(got.get(q.name()), got.get(k.name()), got.get(v.name()),
                        got.get(mask.name()), emb, layer, sites.size(), P);
                MethodClose.assertClose(base.graph().name() + " layer " + layer + ": attention vs float64 reference",
                        MethodOrt.values(got.get(out.name())), expected, 1e-5, 1e-4, "float32 vs float64, rows of 8 terms");
            }
        }
    }

    /** The KV-cache form with the same prefix: prefill 3 then 1 token equals the training form over 4 tokens. */
    @Test
    void kvCacheFormDecodesLikeTheTrainingForm() {
        Model train = new PrefixTuningPass(PrefixTuningConfig.of(P).withSeed(2)).inject(MethodModels.llama(Form.TRAINING))
                .model();
        Model kv = new PrefixTuningPass(PrefixTuningConfig.of(P).withSeed(2)).inject(MethodModels.llama(Form.KV_CACHE))
                .model();
        long[] ids = {5, 17, 3, 29};
        Map<String, Tensor> full = new LinkedHashMap<>();
        full.put("input_ids", Tensor.ofLongs("input_ids", new long[] {1, 4}, ids));
        full.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {1, 4}, 1, 1, 1, 1));
        double[] all = MethodOrt.values(MethodOrt.run(train, full, "logits"));
        double[] last = java.util.Arrays.copyOfRange(all, 3 * MethodModels.VOCAB, 4 * MethodModels.VOCAB);

        List<String> presents = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            presents.add("present." + i + ".key");
            presents.add("present." + i + ".value");
        }
        Map<String, Tensor> step = new LinkedHashMap<>();
        step.put("input_ids", Tensor.ofLongs("input_ids", new long[] {1, 3}, 5, 17, 3));
        step.put("position_ids", Tensor.ofLongs("position_ids", new long[] {1, 3}, 0, 1, 2));
        step.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {1, 3}, 1, 1, 1));
        for (int i = 0; i < 2; i++) {
            for (String kind : List.of("key", "value")) {
                String n = "past_key_values." + i + "." + kind;
                step.put(n, Tensor.ofFloats(n, new long[] {1, 2, 0, 4}));
            }
        }
        List<String> outs = new ArrayList<>(List.of("logits"));
        outs.addAll(presents);
        Map<String, Tensor> r1 = MethodOrt.run(kv, step, outs);
        assertThat(r1.get("present.0.key").dims()).as("present keeps only real tokens").containsExactly(1, 2, 3, 4);
        Map<String, Tensor> step2 = new LinkedHashMap<>();
        step2.put("input_ids", Tensor.ofLongs("input_ids", new long[] {1, 1}, 29));
        step2.put("position_ids", Tensor.ofLongs("position_ids", new long[] {1, 1}, 3));
        step2.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {1, 4}, 1, 1, 1, 1));
        for (String pr : presents) {
            String n = pr.replace("present.", "past_key_values.");
            step2.put(n, r1.get(pr).withName(n));
        }
        MethodClose.assertClose("KV-cache decode step vs training form, last token",
                MethodOrt.values(MethodOrt.run(kv, step2, "logits")), last, 1e-5, 1e-4,
                "float32, same math split over two runs");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Injection gpt = new PrefixTuningPass(PrefixTuningConfig.of(2)).inject(MethodModels.gpt2(Form.TRAINING));
        MethodGradients.check("gpt2 prefix", gpt.model(), MethodModels.decoderFeeds(2, 4, 1), "logits",
                List.of(EMB), 2);
        Injection llama = new PrefixTuningPass(PrefixTuningConfig.of(2).withReparameterization(6))
                .inject(MethodModels.llama(Form.TRAINING));
        MethodGradients.check("llama prefix (MLP)", llama.model(), MethodModels.decoderFeeds(2, 4, 3), "logits",
                new ArrayList<>(PeftMetadata.trainable(llama.model()).orElseThrow()), 4);
    }

    @Test
    void metadataSurvivesSaveAndLoad() throws Exception {
        Injection inj = new PrefixTuningPass(PrefixTuningConfig.of(4)).inject(MethodModels.llama(Form.TRAINING));
        // PEFT's prompt_embeddings: [P, layers · 2 · kv heads · head dim] = [4, 2·2·2·4].
        assertThat(inj.model().graph().initializer(EMB).constant().dims()).containsExactly(4, 32);
        Model back = OnnxReader.read(OnnxWriter.toBytes(inj.model()));
        AdapterInfo a = PeftMetadata.adapter(back, "default").orElseThrow();
        assertThat(a.method()).isEqualTo(PeftMethod.PREFIX);
        assertThat(a.config()).containsEntry("peft_type", "PREFIX_TUNING").containsEntry("num_virtual_tokens", "4")
                .containsEntry("num_layers", "2").containsEntry("num_attention_heads", "2")
                .containsEntry("token_dim", "8").containsEntry("prefix_projection", "false");
        assertThat(a.tensors()).containsExactly(Map.entry("prompt_embeddings", EMB));
        assertThat(PeftMetadata.trainable(back).orElseThrow()).containsExactly(EMB);
        Injection mlp = new PrefixTuningPass(PrefixTuningConfig.of(4).withReparameterization(5))
                .inject(MethodModels.llama(Form.TRAINING));
        assertThat(mlp.report().trainableParams()).isEqualTo(4 * 8 + 5 * 8 + 5 + 32 * 5 + 32);
    }

    @Test
    void modelWithoutAttentionIsRefused() {
        GraphBuilder b = GraphBuilder.create("mlp");
        b.output(b.relu(b.input("x", io.ortune.graph.ir.DataType.FLOAT, 2, 3)), "y");
        assertThatThrownBy(() -> new PrefixTuningPass(PrefixTuningConfig.of(2)).inject(b.model()))
                .hasMessageContaining("graph 'mlp' has no attention");
    }

    /** A copy with the prefix columns' mask set to 0. */
    static Model masked(Model injected) {
        Model m = GraphCopier.copy(injected);
        Value row = m.graph().initializer(MASK);
        m.graph().setInitializerTensor(row, Tensor.ofLongs(MASK, row.constant().dims(),
                new long[(int) row.constant().elementCount()]));
        return m;
    }
}
