package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterConfig.Activation;
import io.ortune.graph.peft.BottleneckAdapterConfig.Style;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.models.arch.Form;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Bottleneck adapters on ortune's GPT-2, Llama and BERT and on the all-MiniLM-L6-v2 export, run in ONNX Runtime. */
class BottleneckAdapterPassTest {

    private static BottleneckAdapterConfig config(Style style, int reduction, Activation act) {
        return BottleneckAdapterConfig.defaults().withStyle(style).withReductionFactor(reduction).withActivation(act);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    void atInitEveryFamilyIsBitExact(Activation act) {
        Map<String, Tensor> feeds = MethodModels.decoderFeeds(2, 6, 1);
        for (Model base : List.of(MethodModels.gpt2(Form.TRAINING), MethodModels.llama(Form.TRAINING))) {
            for (Style style : Style.values()) {
                Model m = new BottleneckAdapterPass(config(style, 4, act)).inject(base).model();
                MethodClose.bitExact(base.graph().name() + " " + style + " " + act, MethodOrt.run(m, feeds, "logits"),
                        MethodOrt.run(base, feeds, "logits"));
            }
        }
        Model bert = MethodModels.bert();
        Map<String, Tensor> bf = MethodModels.bertFeeds(2, 5, MethodModels.VOCAB, 2);
        Model m = new BottleneckAdapterPass(config(Style.HOULSBY, 4, act)).inject(bert).model();
        MethodClose.bitExact("bert houlsby " + act, MethodOrt.run(m, bf, "logits"), MethodOrt.run(bert, bf, "logits"));
    }

    @Test
    void placementAndCounts() {
        Model base = MethodModels.gpt2(Form.TRAINING);
        String before = ModelPrinter.print(base);
        Injection h = new BottleneckAdapterPass(config(Style.HOULSBY, 4, Activation.RELU)).inject(base);
        assertThat(ModelPrinter.print(base)).as("input model untouched").isEqualTo(before);
        assertThat(ModelValidator.validate(h.model()).errors()).isEmpty();
        // hidden 16, bottleneck 4: down 4x16 + 4, up 16x4 + 16 = 148 per adapter; Houlsby: 2 per layer, 2 layers.
        assertThat(h.report().injected()).containsExactly(
                "transformer.h.0.attn.c_proj: bottleneck adapter 16 -> 4 -> 16 (relu)",
                "transformer.h.1.attn.c_proj: bottleneck adapter 16 -> 4 -> 16 (relu)",
                "transformer.h.0.mlp.c_proj: bottleneck adapter 16 -> 4 -> 16 (relu)",
                "transformer.h.1.mlp.c_proj: bottleneck adapter 16 -> 4 -> 16 (relu)");
        assertThat(h.report().trainableParams()).isEqualTo(4 * 148);
        Injection p = new BottleneckAdapterPass(config(Style.PFEIFFER, 4, Activation.RELU)).inject(base);
        assertThat(p.report().injected()).hasSize(2).allMatch(s -> s.contains("mlp.c_proj"));

        // BERT: attention.output.dense and the FFN output.dense only (not intermediate.dense).
        Injection b = new BottleneckAdapterPass(config(Style.HOULSBY, 4, Activation.GELU)).inject(MethodModels.bert());
        assertThat(b.report().injected()).extracting(s -> s.substring(0, s.indexOf(':'))).containsExactly(
                "bert.encoder.layer.0.attention.output.dense", "bert.encoder.layer.1.attention.output.dense",
                "bert.encoder.layer.0.output.dense", "bert.encoder.layer.1.output.dense");

        // The adapter's residual Add feeds what the projection fed before (the block's residual Add).
        Graph g = h.model().graph();
        Value out = LinearMatcher.find(g).site("transformer.h.0.mlp.c_proj").orElseThrow().output();
        Node adapterAdd = out.consumers().stream().filter(n -> n.is("Add")).findFirst().orElseThrow();
        assertThat(adapterAdd.name()).startsWith("/transformer/h.0/mlp/c_proj/");
        assertThat(adapterAdd.output().consumers()).singleElement().matches(n -> n.name().equals("/transformer/h.0/Add_1"));
    }

    @Test
    void miniLmExportAtInitIsBitExact() {
        Model base = MethodModels.miniLm();
        Injection inj = new BottleneckAdapterPass(config(Style.HOULSBY, 16, Activation.GELU)).inject(base);
        // 6 layers x 2 adapters of 384 -> 24 -> 384: 2·384·24 + 24 + 384 each.
        assertThat(inj.report().injected()).hasSize(12);
        assertThat(inj.report().trainableParams()).isEqualTo(12L * (2 * 384 * 24 + 24 + 384));
        Map<String, Tensor> feeds = MethodModels.bertFeeds(2, 7, 30522, 4);
        MethodClose.bitExact("MiniLM last_hidden_state", MethodOrt.run(inj.model(), feeds, "last_hidden_state"),
                MethodOrt.run(base, feeds, "last_hidden_state"));
    }

    /**
     * With random adapter weights, the adapter's output equals {@code h + up(act(down(h)))} computed in float64 from
     * the projection output h that ORT computed. Float32 graph vs float64 reference over sums of 16 products of
     * magnitude ~1: atol 1e-5, rtol 1e-5.
     */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Activation.class)
    void adapterComputesTheBottleneckFormula(Activation act) {
        Injection inj = new BottleneckAdapterPass(config(Style.PFEIFFER, 4, act)).inject(MethodModels.llama(Form.TRAINING));
        Model m = GraphCopier.copy(inj.model());
        Graph g = m.graph();
        String module = "model.layers.1.mlp.down_proj";
        Random rnd = new Random(3);
        float[][] w = new float[4][];
        String[] parts = {"adapter_down.weight", "adapter_down.bias", "adapter_up.weight", "adapter_up.bias"};
        AdapterInfo info = PeftMetadata.adapter(m, "default").orElseThrow();
        for (int i = 0; i < 4; i++) {
            Value v = g.initializer(info.tensors().get("base_model.model." + module + "." + parts[i]));
            w[i] = new float[(int) v.constant().elementCount()];
            for (int k = 0; k < w[i].length; k++) {
                w[i][k] = (float) (0.5 * rnd.nextGaussian());
            }
            g.setInitializerTensor(v, Tensor.ofFloats(v.name(), v.constant().dims(), w[i]));
        }
        Value h = LinearMatcher.find(g).site(module).orElseThrow().output();
        Value out = h.consumers().stream().filter(n -> n.is("Add")).findFirst().orElseThrow().output();
        g.addOutput(h);
        g.addOutput(out);
        Map<String, Tensor> got = MethodOrt.run(m, MethodModels.decoderFeeds(2, 5, 4), List.of(h.name(), out.name()));
        double[] hv = MethodOrt.values(got.get(h.name()));
        double[] expected = new double[hv.length];
        int hidden = 16;
        int b = 4;
        for (int row = 0; row < hv.length / hidden; row++) {
            double[] z = new double[b];
            for (int j = 0; j < b; j++) {
                double s = w[1][j];
                for (int i = 0; i < hidden; i++) {
                    s += w[0][j * hidden + i] * hv[row * hidden + i];
                }
                z[j] = activate(act, s);
            }
            for (int i = 0; i < hidden; i++) {
                double s = w[3][i];
                for (int j = 0; j < b; j++) {
                    s += w[2][i * b + j] * z[j];
                }
                expected[row * hidden + i] = hv[row * hidden + i] + s;
            }
        }
        MethodClose.assertClose("adapter output vs float64 formula (" + act + ")", MethodOrt.values(got.get(out.name())), expected,
                1e-5, 1e-5, "float32 graph vs float64 reference, sums of 16 terms of order 1");
    }

    private static double activate(Activation act, double x) {
        switch (act) {
            case RELU:
                return Math.max(0, x);
            case SILU:
                return x / (1 + Math.exp(-x));
            default:
                return 0.5 * x * (1 + ErfReference.erf(x / Math.sqrt(2)));
        }
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        Injection inj = new BottleneckAdapterPass(config(Style.HOULSBY, 4, Activation.GELU))
                .inject(MethodModels.gpt2(Form.TRAINING));
        List<String> names = new ArrayList<>(PeftMetadata.trainable(inj.model()).orElseThrow());
        MethodGradients.check("gpt2 bottleneck", inj.model(), MethodModels.decoderFeeds(2, 5, 5), "logits", names, 6);
        Injection bert = new BottleneckAdapterPass(config(Style.PFEIFFER, 4, Activation.SILU)).inject(MethodModels.bert());
        MethodGradients.check("bert bottleneck", bert.model(), MethodModels.bertFeeds(2, 5, MethodModels.VOCAB, 7),
                "logits", new ArrayList<>(PeftMetadata.trainable(bert.model()).orElseThrow()), 8);
    }

    @Test
    void metadataSurvivesSaveAndLoad() throws Exception {
        Injection inj = new BottleneckAdapterPass(config(Style.PFEIFFER, 8, Activation.SILU).withSeed(3))
                .inject(MethodModels.llama(Form.TRAINING));
        Model back = OnnxReader.read(OnnxWriter.toBytes(inj.model()));
        AdapterInfo a = PeftMetadata.adapter(back, "default").orElseThrow();
        assertThat(a.method()).isEqualTo(PeftMethod.ADAPTER);
        assertThat(a.config()).containsEntry("peft_type", "BOTTLENECK_ADAPTER").containsEntry("style", "pfeiffer")
                .containsEntry("reduction_factor", "8").containsEntry("non_linearity", "swish")
                .containsEntry("mh_adapter", "false");
        assertThat(a.tensors()).hasSize(8).containsEntry("base_model.model.model.layers.0.mlp.down_proj.adapter_up.weight",
                "model.layers.0.mlp.down_proj.adapter_up.default.weight");
        assertThat(PeftMetadata.trainable(back).orElseThrow()).containsExactlyInAnyOrderElementsOf(a.tensors().values());
        assertThat(back.graph().initializer("model.layers.0.mlp.down_proj.adapter_down.default.weight").constant()
                .dims()).containsExactly(2, 16);
    }

    @Test
    void clearErrors() {
        assertThatThrownBy(() -> new BottleneckAdapterPass(BottleneckAdapterConfig.defaults()
                .withProjections("nope", "nope_either")).inject(MethodModels.llama(Form.TRAINING)))
                .hasMessageContaining("match no linear layer");
        assertThatThrownBy(() -> BottleneckAdapterConfig.defaults().withReductionFactor(0))
                .hasMessageContaining("reduction factor must be at least 1");
        assertThatThrownBy(() -> Activation.parse("tanh")).hasMessageContaining("use relu, gelu or silu");
    }
}
