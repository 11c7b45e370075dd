package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraInit;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.SkippedCandidate;
import io.ortune.graph.validate.ModelValidator;
import io.ortune.models.arch.Form;

import java.util.Map;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * An adapter injected at initialisation leaves every output of the model unchanged: bit for bit when B starts at
 * zero (Kaiming, Gaussian; DoRA too, whose magnitude equals the graph's float64 norm rounded to float32), and within
 * float32 rounding for PiSSA and OLoRA, which rewrite the base weight as W − s·B·A.
 */
class LoraIdentityTest {

    /** PiSSA/OLoRA: W_res + s·B·A equals W only to float32 rounding of W_res, A and B (errors ~1e-7 relative per
     * weight), compounded through 2 layers, softmax and the head: 1e-4 relative with 1e-5 absolute for outputs
     * near 0 holds with a wide margin (measured ~1e-6). */
    private static final double REBASE_ATOL = 1e-5;
    private static final double REBASE_RTOL = 1e-4;

    static Stream<Arguments> zeroInit() {
        return Stream.of(
                Arguments.of("gpt2 training c_attn,c_proj kaiming", m(() -> PeftModels.gpt2(Form.TRAINING)),
                        "c_attn,c_proj", LoraInit.KAIMING, false, 6),
                Arguments.of("gpt2 kv-cache c_attn,c_proj gaussian", m(() -> PeftModels.gpt2(Form.KV_CACHE)),
                        "c_attn,c_proj", LoraInit.GAUSSIAN, false, 6),
                Arguments.of("llama training q_proj,v_proj gaussian", m(() -> PeftModels.llama(Form.TRAINING)),
                        "q_proj,v_proj", LoraInit.GAUSSIAN, false, 4),
                Arguments.of("llama kv-cache q_proj,v_proj kaiming", m(() -> PeftModels.llama(Form.KV_CACHE)),
                        "q_proj,v_proj", LoraInit.KAIMING, false, 4),
                Arguments.of("llama training all-linear", m(() -> PeftModels.llama(Form.TRAINING)),
                        "all-linear", LoraInit.KAIMING, false, 14),
                Arguments.of("bert query,value", m(PeftModels::bert), "query,value", LoraInit.KAIMING, false, 4),
                Arguments.of("dora gpt2 training", m(() -> PeftModels.gpt2(Form.TRAINING)), "c_attn,c_proj",
                        LoraInit.KAIMING, true, 6),
                Arguments.of("dora gpt2 kv-cache", m(() -> PeftModels.gpt2(Form.KV_CACHE)), "c_attn",
                        LoraInit.KAIMING, true, 2),
                Arguments.of("dora llama kv-cache", m(() -> PeftModels.llama(Form.KV_CACHE)), "q_proj,v_proj",
                        LoraInit.GAUSSIAN, true, 4),
                Arguments.of("dora llama training all-linear", m(() -> PeftModels.llama(Form.TRAINING)),
                        "all-linear", LoraInit.KAIMING, true, 14),
                Arguments.of("dora bert", m(PeftModels::bert), "query,value,dense", LoraInit.KAIMING, true, 11));
    }

    private static Supplier<Model> m(Supplier<Model> s) {
        return s;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("zeroInit")
    void zeroInitIsBitIdentical(String name, Supplier<Model> make, String targets, LoraInit init, boolean dora,
                                int modules) {
        Model base = make.get();
        String before = ModelPrinter.print(base, true);
        LoraConfig cfg = LoraConfig.of(targets).withInit(init).withR(4).withAlpha(8).withSeed(3).withDora(dora);
        Injection inj = new LoraPass(cfg).inject(base);
        assertThat(ModelPrinter.print(base, true)).as("the input model is not changed").isEqualTo(before);
        assertThat(ModelValidator.validate(inj.model()).issues()).as("validation issues").isEmpty();
        assertThat(inj.report().injected()).as("injected modules").hasSize(modules);
        assertThat(inj.report().skipped()).as("skipped").allSatisfy(s -> assertThat(s.reason()).isNotBlank());
        Map<String, Tensor> feeds = PeftModels.feeds(base, 5);
        PeftModels.assertIdentical(name, PeftModels.run(base, feeds), PeftModels.run(inj.model(), feeds));
        assertThat(PeftMetadata.adapter(inj.model(), "default")).isPresent();
        assertThat(PeftMetadata.trainable(inj.model()).orElseThrow()).hasSize(modules * (dora ? 3 : 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rebasing")
    void pissaAndOloraKeepOutputsToRounding(String name, Supplier<Model> make, String targets, LoraInit init,
                                            boolean dora) {
        Model base = make.get();
        LoraConfig cfg = LoraConfig.of(targets).withInit(init).withR(4).withAlpha(8).withDora(dora);
        Injection inj = new LoraPass(cfg).inject(base);
        Map<String, Tensor> feeds = PeftModels.feeds(base, 6);
        Map<String, float[]> expected = PeftModels.run(base, feeds);
        Map<String, float[]> got = PeftModels.run(inj.model(), feeds);
        PeftModels.assertClose(name, expected, got, REBASE_ATOL, REBASE_RTOL);
        String module = inj.report().injected().get(0).split(":")[0];
        String w = module + ".weight";
        assertThat(inj.model().graph().initializer(w).constant().contentEquals(base.graph().initializer(w).constant()))
                .as("the base weight of %s is replaced by the residual", module).isFalse();
        float[] b = inj.model().graph().initializer(module + ".lora_B.default.weight").constant().toFloats();
        assertThat(PeftModels.toDoubles(b)).as("B is not zero").isNotEqualTo(new double[b.length]);
    }

    static Stream<Arguments> rebasing() {
        return Stream.of(
                Arguments.of("pissa gpt2 (Conv1D layout)", m(() -> PeftModels.gpt2(Form.TRAINING)), "c_attn,c_proj",
                        LoraInit.PISSA, false),
                Arguments.of("olora gpt2 (Conv1D layout)", m(() -> PeftModels.gpt2(Form.TRAINING)), "c_attn,c_proj",
                        LoraInit.OLORA, false),
                Arguments.of("pissa llama kv-cache", m(() -> PeftModels.llama(Form.KV_CACHE)), "q_proj,v_proj",
                        LoraInit.PISSA, false),
                Arguments.of("olora llama", m(() -> PeftModels.llama(Form.TRAINING)), "all-linear", LoraInit.OLORA,
                        false),
                Arguments.of("pissa + dora llama", m(() -> PeftModels.llama(Form.TRAINING)), "q_proj,v_proj",
                        LoraInit.PISSA, true));
    }

    @org.junit.jupiter.api.Test
    void nodesAreNamedUnderTheModuleAndDropoutIsTrainingOnly() {
        Model base = PeftModels.llama(Form.TRAINING);
        Injection inj = new LoraPass(LoraConfig.of("q_proj").withDropout(0.1)).inject(base);
        assertThat(inj.model().graph().nodes().stream().map(Node::name))
                .contains("/model/layers.0/self_attn/q_proj/lora_A/default/MatMul",
                        "/model/layers.1/self_attn/q_proj/lora_B/default/MatMul",
                        "/model/layers.0/self_attn/q_proj/lora_dropout/default/Dropout");
        assertThat(inj.model().graph().nodes().stream().filter(n -> n.is("Dropout")))
                .hasSize(2).allSatisfy(n -> assertThat(n.metadataProps()).containsEntry("ortune.training_only",
                        "true"));
        assertThat(inj.model().graph().initializers()).containsKeys(
                "model.layers.0.self_attn.q_proj.lora_A.default.weight",
                "model.layers.0.self_attn.q_proj.lora_B.default.weight",
                "model.layers.0.self_attn.q_proj.lora_scaling.default", "lora_gate.default");
        Injection dora = new DoraPass(LoraConfig.of("v_proj")).inject(base);
        assertThat(dora.model().graph().initializers()).containsKey(
                "model.layers.1.self_attn.v_proj.lora_magnitude_vector.default");
        assertThat(dora.model().graph().nodes().stream().filter(n -> "true".equals(n.metadataProps()
                .get("ortune.stop_gradient")))).hasSize(2).allSatisfy(n -> assertThat(n.opType()).isEqualTo(
                        "Identity"));
        assertThat(inj.report().skipped()).extracting(SkippedCandidate::module).isEmpty();
    }
}
