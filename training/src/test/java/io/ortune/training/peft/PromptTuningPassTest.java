package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PromptTuningConfig;
import io.ortune.graph.peft.PromptTuningPass;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.models.arch.Form;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Prompt tuning on ortune's GPT-2, Llama and BERT, run in ONNX Runtime. */
class PromptTuningPassTest {

    static final int N = 3;
    static final String PROMPT = "prompt_encoder.default.embedding.weight";
    static final String PROMPT_MASK = "prompt_encoder.default.attention_mask";

    /**
     * (a) the outputs keep the base's shape; (c) they equal the base model run by hand on embeddings with the prompt
     * rows prepended (ids, mask and token types extended as PEFT extends them), minus the virtual positions. Same
     * kernels on the same numbers: atol 1e-6, rtol 1e-5 (only summation order may differ).
     */
    @Test
    void equalsTheBaseRunOnHandPrependedEmbeddings() {
        for (Model base : List.of(MethodModels.gpt2(Form.TRAINING), MethodModels.llama(Form.TRAINING))) {
            String before = ModelPrinter.print(base);
            Injection inj = new PromptTuningPass(PromptTuningConfig.random(N).withSeed(4)).inject(base);
            assertThat(ModelPrinter.print(base)).as("input model untouched").isEqualTo(before);
            assertThat(ModelValidator.validate(inj.model()).errors()).isEmpty();
            Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 5, 1);
            Tensor got = MethodOrt.run(inj.model(), feeds, "logits");
            assertThat(got.dims()).as("(a) logits keep the user's shape")
                    .containsExactly(MethodOrt.run(base, feeds, "logits").dims());
            Tensor ref = MethodOrt.run(handReference(base), referenceFeeds(inj.model(), feeds), "logits");
            MethodClose.assertClose(base.graph().name() + ": (c) prompt tuning vs hand-prepended embeddings", MethodOrt.values(got),
                    dropFront(ref, N), 1e-6, 1e-5, "same kernels, summation order may differ");
        }
        Model bert = MethodModels.bert();
        Injection inj = new PromptTuningPass(PromptTuningConfig.vocab(N, 2)).inject(bert);
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 5, MethodModels.VOCAB, 3);
        Tensor got = MethodOrt.run(inj.model(), feeds, "logits");
        assertThat(got.dims()).containsExactly(2, 3);
        MethodClose.assertClose("bert: (c) prompt tuning vs hand-prepended embeddings", got,
                MethodOrt.run(handReference(bert), referenceFeeds(inj.model(), feeds), "logits"), 1e-6, 1e-5,
                "same kernels, summation order may differ");
    }

    /** The opset-11 export: last_hidden_state keeps [batch, sequence, 384] and equals the hand reference. */
    @Test
    void miniLmExport() {
        Model base = MethodModels.miniLm();
        Injection inj = new PromptTuningPass(PromptTuningConfig.vocab(N, 1)).inject(base);
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 6, 30522, 5);
        Tensor got = MethodOrt.run(inj.model(), feeds, "last_hidden_state");
        assertThat(got.dims()).containsExactly(2, 6, 384);
        Tensor ref = MethodOrt.run(handReference(base), referenceFeeds(inj.model(), feeds), "last_hidden_state");
        MethodClose.assertClose("MiniLM: prompt tuning vs hand-prepended embeddings", MethodOrt.values(got), dropFront(ref, N),
                1e-5, 1e-5, "same kernels over 6 layers of width 384, summation order may differ");
    }

    /**
     * (b) With the virtual tokens masked out, the decoders' positions are the base's (derived from the extended mask)
     * and nothing attends to the prompt: the real tokens' outputs equal the base's. Float32, the same values summed over longer rows
     * holding exact zeros: atol 1e-6, rtol 1e-5.
     */
    @Test
    void maskedPromptGivesTheBaseOutputs() {
        for (Model base : List.of(MethodModels.gpt2(Form.TRAINING), MethodModels.llama(Form.TRAINING))) {
            Model m = new PromptTuningPass(PromptTuningConfig.random(N)).inject(base).model();
            Value hidden = m.graph().initializer(PROMPT_MASK);
            m.graph().setInitializerTensor(hidden, Tensor.ofLongs(PROMPT_MASK, new long[] {1, N}, new long[N]));
            Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 6, 5);
            long[] mask = feeds.get("attention_mask").toLongs();
            MethodClose.assertClose(base.graph().name() + ": masked prompt vs base, real tokens",
                    realTokens(MethodOrt.run(m, feeds, "logits"), mask), realTokens(MethodOrt.run(base, feeds, "logits"), mask),
                    1e-6, 1e-5, "float32, longer rows with exact zeros");
            Tensor open = MethodOrt.run(new PromptTuningPass(PromptTuningConfig.random(N)).inject(base).model(), feeds,
                    "logits");
            assertThat(MethodOrt.values(open)).as("a visible prompt changes the outputs")
                    .isNotEqualTo(MethodOrt.values(MethodOrt.run(base, feeds, "logits")));
        }
    }

    /**
     * Logits of the positions whose attention_mask is 1. A padding query sees no key, so its softmax is uniform over
     * every key (Hugging Face's convention): its output is meaningless and differs once there are more keys.
     */
    static double[] realTokens(Tensor logits, long[] mask) {
        double[] v = MethodOrt.values(logits);
        int vocab = (int) logits.dims()[2];
        java.util.List<Double> out = new java.util.ArrayList<>();
        for (int p = 0; p < mask.length; p++) {
            for (int k = 0; mask[p] == 1 && k < vocab; k++) {
                out.add(v[p * vocab + k]);
            }
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void initialisations() {
        Model llama = MethodModels.llama(Form.TRAINING);
        float[] table = llama.graph().initializer("model.embed_tokens.weight").constant().toFloats();
        int h = 16;
        float[] text = new PromptTuningPass(PromptTuningConfig.text(5, 7, 9)).inject(llama).model().graph()
                .initializer(PROMPT).constant().toFloats();
        long[] expectedRows = {7, 9, 7, 9, 7};
        for (int i = 0; i < 5; i++) {
            for (int j = 0; j < h; j++) {
                assertThat(text[i * h + j]).as("TEXT row %d is the embedding of id %d", i, expectedRows[i])
                        .isEqualTo(table[(int) expectedRows[i] * h + j]);
            }
        }
        float[] vocab = new PromptTuningPass(PromptTuningConfig.vocab(4, 9)).inject(llama).model().graph()
                .initializer(PROMPT).constant().toFloats();
        for (int i = 0; i < 4; i++) {
            boolean found = false;
            for (int r = 0; r < MethodModels.VOCAB && !found; r++) {
                boolean same = true;
                for (int j = 0; j < h && same; j++) {
                    same = vocab[i * h + j] == table[r * h + j];
                }
                found = same;
            }
            assertThat(found).as("VOCAB row %d is a row of the table", i).isTrue();
        }
        Tensor r1 = new PromptTuningPass(PromptTuningConfig.random(4).withSeed(3)).inject(llama).model().graph()
                .initializer(PROMPT).constant();
        Tensor r2 = new PromptTuningPass(PromptTuningConfig.random(4).withSeed(3)).inject(llama).model().graph()
                .initializer(PROMPT).constant();
        assertThat(r1.contentEquals(r2)).as("RANDOM is reproducible from the seed").isTrue();
        assertThatThrownBy(() -> new PromptTuningPass(PromptTuningConfig.text(2, 99)).inject(llama))
                .hasMessageContaining("token id 99 is outside the vocabulary of 'model.embed_tokens.weight' (40 rows)");
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Injection gpt = new PromptTuningPass(PromptTuningConfig.random(N)).inject(MethodModels.gpt2(Form.TRAINING));
        MethodGradients.check("gpt2 prompt", gpt.model(), MethodModels.decoderFeeds(2, 4, 6), "logits",
                List.of(PROMPT), 7);
        Injection bert = new PromptTuningPass(PromptTuningConfig.random(N)).inject(MethodModels.bert());
        MethodGradients.check("bert prompt", bert.model(), MethodModels.bertFeeds(2, 4, MethodModels.VOCAB, 8), "logits",
                List.of(PROMPT), 9);
    }

    @Test
    void metadataSurvivesSaveAndLoad() throws Exception {
        Injection inj = new PromptTuningPass(PromptTuningConfig.text(4, 1, 2, 3)).inject(MethodModels.gpt2(Form.TRAINING));
        assertThat(inj.report().trainableParams()).isEqualTo(4 * 16);
        Model back = OnnxReader.read(OnnxWriter.toBytes(inj.model()));
        AdapterInfo a = PeftMetadata.adapter(back, "default").orElseThrow();
        assertThat(a.method()).isEqualTo(PeftMethod.PROMPT);
        assertThat(a.config()).containsEntry("peft_type", "PROMPT_TUNING").containsEntry("num_virtual_tokens", "4")
                .containsEntry("token_dim", "16").containsEntry("prompt_tuning_init", "TEXT")
                .containsEntry("prompt_tuning_init_token_ids", "1,2,3");
        assertThat(a.tensors()).containsExactly(Map.entry("prompt_embeddings", PROMPT));
        assertThat(PeftMetadata.trainable(back).orElseThrow()).containsExactly(PROMPT);
    }

    @Test
    void kvCacheFormIsRefused() {
        assertThatThrownBy(() -> new PromptTuningPass(PromptTuningConfig.random(2)).inject(
                MethodModels.llama(Form.KV_CACHE))).hasMessageContaining("prompt tuning on the KV-cache form is not "
                + "supported");
    }

    /** The base with its embedding Gather replaced by a fed {@code inputs_embeds} input. */
    static Model handReference(Model base) {
        Model ref = GraphCopier.copy(base);
        Graph g = ref.graph();
        Node gather = embeddingGather(g);
        long hidden = gather.input(0).constant().dims()[1];
        Value embeds = g.addInput("inputs_embeds", ValueType.tensor(DataType.FLOAT, Shape.of("batch", "total",
                hidden)));
        gather.output().replaceAllUsesWith(embeds);
        g.removeNode(gather);
        return ref;
    }

    private static Node embeddingGather(Graph g) {
        Value ids = g.inputs().stream().filter(v -> v.name().equals("input_ids")).findFirst().orElseThrow();
        return ids.consumers().stream().filter(n -> n.is("Gather") && n.input(0).isInitializer()).findFirst()
                .orElseThrow();
    }

    /** Feeds of the hand reference: prompt rows + table rows, ids/types with zeros and the mask with ones in front. */
    static Map<String, Tensor> referenceFeeds(Model injected, Map<String, Tensor> feeds) {
        Graph g = injected.graph();
        float[] prompt = g.initializer(PROMPT).constant().toFloats();
        Value tableValue = embeddingGather(g).input(0);
        float[] table = tableValue.constant().toFloats();
        int h = (int) tableValue.constant().dims()[1];
        long[] ids = feeds.get("input_ids").toLongs();
        int b = (int) feeds.get("input_ids").dims()[0];
        int t = (int) feeds.get("input_ids").dims()[1];
        float[] emb = new float[b * (N + t) * h];
        for (int r = 0; r < b; r++) {
            System.arraycopy(prompt, 0, emb, r * (N + t) * h, N * h);
            for (int j = 0; j < t; j++) {
                System.arraycopy(table, (int) ids[r * t + j] * h, emb, (r * (N + t) + N + j) * h, h);
            }
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("inputs_embeds", Tensor.ofFloats("inputs_embeds", new long[] {b, N + t, h}, emb));
        for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
            out.put(e.getKey(), prepend(e.getValue(), e.getKey().equals("attention_mask") ? 1 : 0));
        }
        return out;
    }

    private static Tensor prepend(Tensor x, long value) {
        int b = (int) x.dims()[0];
        int t = (int) x.dims()[1];
        long[] v = x.toLongs();
        long[] out = new long[b * (N + t)];
        for (int r = 0; r < b; r++) {
            for (int j = 0; j < N; j++) {
                out[r * (N + t) + j] = value;
            }
            System.arraycopy(v, r * t, out, r * (N + t) + N, t);
        }
        return Tensor.ofLongs(x.name(), new long[] {b, N + t}, out);
    }

    /** Values of [b, n + t, v] without the first {@code n} positions of axis 1. */
    static double[] dropFront(Tensor x, int n) {
        long[] d = x.dims();
        double[] v = MethodOrt.values(x);
        int tt = (int) d[1];
        int inner = (int) d[2];
        double[] out = new double[(int) (d[0] * (tt - n) * inner)];
        for (int r = 0; r < d[0]; r++) {
            System.arraycopy(v, (r * tt + n) * inner, out, r * (tt - n) * inner, (tt - n) * inner);
        }
        return out;
    }
}
