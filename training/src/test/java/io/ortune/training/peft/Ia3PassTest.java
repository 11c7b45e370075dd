package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.models.arch.Form;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;

/** IA3 on ortune's GPT-2, Llama and BERT and on the real all-MiniLM-L6-v2 export, run in ONNX Runtime. */
class Ia3PassTest {

    @Test
    void gpt2AtInitIsBitExactAndScalesFusedQkvAndMlpInput() {
        Model base = MethodModels.gpt2(Form.TRAINING);
        String before = ModelPrinter.print(base);
        Injection inj = new Ia3Pass(Ia3Config.defaults()).inject(base);
        assertThat(ModelPrinter.print(base)).as("input model untouched").isEqualTo(before);
        assertThat(ModelValidator.validate(inj.model()).errors()).isEmpty();
        Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 6, 1);
        MethodClose.bitExact("gpt2 logits with IA3 at init", MethodOrt.run(inj.model(), feeds, "logits"),
                MethodOrt.run(base, feeds, "logits"));
        // c_attn: output of 3·16 (q, k and v, as PEFT); mlp.c_proj: input of 4·16; 2 layers.
        assertThat(inj.report().injected()).hasSize(4);
        assertThat(inj.report().trainableParams()).isEqualTo(2 * (48 + 64));
        Graph g = inj.model().graph();
        assertThat(g.initializer("transformer.h.0.attn.c_attn.ia3_l.default").constant().dims())
                .containsExactly(48, 1);
        assertThat(g.initializer("transformer.h.1.mlp.c_proj.ia3_l.default").constant().dims())
                .containsExactly(1, 64);
    }

    @Test
    void llamaAndBertAtInitAreBitExact() {
        Model llama = MethodModels.llama(Form.TRAINING);
        Injection li = new Ia3Pass(Ia3Config.defaults()).inject(llama);
        Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 6, 2);
        MethodClose.bitExact("llama logits", MethodOrt.run(li.model(), feeds, "logits"), MethodOrt.run(llama, feeds, "logits"));
        // k_proj and v_proj out = 2 kv heads · 4 = 8 each, down_proj in = 24; 2 layers.
        assertThat(li.report().trainableParams()).isEqualTo(2 * (8 + 8 + 24));

        Model bert = MethodModels.bert();
        Injection bi = new Ia3Pass(Ia3Config.defaults()).inject(bert);
        Map<String, Tensor> bf = MethodModels.bertFeeds(2, 5, MethodModels.VOCAB, 3);
        MethodClose.bitExact("bert logits", MethodOrt.run(bi.model(), bf, "logits"), MethodOrt.run(bert, bf, "logits"));
        // key 16 + value 16 (outputs); attention.output.dense 16 and output.dense 24 (inputs: PEFT's suffix rule
        // makes both feed-forward modules).
        assertThat(bi.report().trainableParams()).isEqualTo(2 * (16 + 16 + 16 + 24));
    }

    @Test
    void miniLmExportAtInitIsBitExact() {
        Model base = MethodModels.miniLm();
        Injection inj = new Ia3Pass(Ia3Config.defaults()).inject(base);
        assertThat(inj.model().opsetVersion("")).as("opset kept").isEqualTo(11);
        // 6 layers x (key 384 + value 384 + attention.output.dense in 384 + output.dense in 1536).
        assertThat(inj.report().injected()).hasSize(24);
        assertThat(inj.report().trainableParams()).isEqualTo(6L * (384 + 384 + 384 + 1536));
        assertThat(inj.report().injected()).contains("encoder.layer.0.attention.self.key: ia3 scales the output "
                + "(384 values)", "encoder.layer.5.output.dense: ia3 scales the input (1536 values)");
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 7, 30522, 4);
        MethodClose.bitExact("MiniLM last_hidden_state", MethodOrt.run(inj.model(), feeds, "last_hidden_state"),
                MethodOrt.run(base, feeds, "last_hidden_state"));
    }

    /**
     * The scaling means what PEFT's merge says: an output vector l scales W's output rows (and the bias), an input
     * vector scales W's input columns. Both are checked against the base model with merged weights. Float32, the
     * same products in another order ((x·l)·W vs x·(l·W)): atol 1e-5, rtol 1e-4.
     */
    @Test
    void scalingEqualsMergedWeights() {
        for (Model base : List.of(MethodModels.llama(Form.TRAINING), MethodModels.gpt2(Form.TRAINING))) {
            Injection inj = new Ia3Pass(Ia3Config.defaults()).inject(base);
            Model adapted = GraphCopier.copy(inj.model());
            Model merged = GraphCopier.copy(base);
            Random rnd = new Random(5);
            for (Map.Entry<String, String> e : PeftMetadata.adapter(adapted, "default").get().tensors().entrySet()) {
                Value l = adapted.graph().initializer(e.getValue());
                long[] dims = l.constant().dims();
                float[] v = new float[(int) (dims[0] * dims[1])];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) (1 + 0.5 * rnd.nextGaussian());
                }
                adapted.graph().setInitializerTensor(l, Tensor.ofFloats(l.name(), dims, v));
                String module = e.getKey().substring("base_model.model.".length(), e.getKey().length() - 6);
                Ia3Merge.scale(merged, module, v, dims[0] == 1);
            }
            Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 6, 6);
            MethodClose.assertClose(base.graph().name() + ": IA3 vs merged weights", MethodOrt.run(adapted, feeds, "logits"),
                    MethodOrt.run(merged, feeds, "logits"), 1e-5, 1e-4, "float32, same products in another order");
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Injection inj = new Ia3Pass(Ia3Config.defaults().withLayers(LayerRange.parse("1")))
                .inject(MethodModels.llama(Form.TRAINING));
        List<String> names = new ArrayList<>(PeftMetadata.trainable(inj.model()).orElseThrow());
        assertThat(names).hasSize(3);
        MethodGradients.check("llama IA3", inj.model(), MethodModels.decoderFeeds(2, 5, 7), "logits", names, 8);
        Injection gpt = new Ia3Pass(Ia3Config.defaults()).inject(MethodModels.gpt2(Form.TRAINING));
        MethodGradients.check("gpt2 IA3", gpt.model(), MethodModels.decoderFeeds(2, 5, 9), "logits",
                new ArrayList<>(PeftMetadata.trainable(gpt.model()).orElseThrow()), 10);
    }

    @Test
    void metadataSurvivesSaveAndLoad() throws Exception {
        Injection inj = new Ia3Pass(Ia3Config.defaults().withAdapterName("task1").withTargets("k_proj,down_proj",
                "down_proj")).inject(MethodModels.llama(Form.TRAINING));
        Model back = OnnxReader.read(OnnxWriter.toBytes(inj.model()));
        AdapterInfo a = PeftMetadata.adapter(back, "task1").orElseThrow();
        assertThat(a.method()).isEqualTo(PeftMethod.IA3);
        assertThat(a.config()).containsEntry("peft_type", "IA3").containsEntry("target_modules", "k_proj,down_proj")
                .containsEntry("feedforward_modules", "down_proj");
        assertThat(a.tensors()).containsEntry("base_model.model.model.layers.0.self_attn.k_proj.ia3_l",
                "model.layers.0.self_attn.k_proj.ia3_l.task1").hasSize(4);
        assertThat(PeftMetadata.trainable(back).orElseThrow()).containsExactlyInAnyOrderElementsOf(a.tensors().values());
        assertThat(inj.report().parameterLine()).startsWith("trainable params: 64 || all params: ");
    }

    @Test
    void clearErrors() {
        Model llama = MethodModels.llama(Form.TRAINING);
        assertThatThrownBy(() -> new Ia3Pass(Ia3Config.defaults().withTargets("nope", "")).inject(llama))
                .hasMessageContaining("IA3 --target nope matches no linear layer");
        assertThatThrownBy(() -> new Ia3Pass(Ia3Config.defaults().withTargets("k_proj", "down_proj")).inject(llama))
                .hasMessageContaining("must be a subset of the targets k_proj").hasMessageContaining(
                        "'model.layers.0.mlp.down_proj' is not a target");
        Model once = new Ia3Pass(Ia3Config.defaults()).inject(llama).model();
        assertThatThrownBy(() -> new Ia3Pass(Ia3Config.defaults()).inject(once))
                .hasMessageContaining("already has an adapter named 'default'");
    }
}
