package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.io.ModelPrinter;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.pass.PassRegistry;
import io.ortune.graph.pass.PassResult;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * Several adapters on one base: switching changes only gate initializers, gives each adapter's own outputs, and
 * switching back is exact; gates as runtime inputs; save/load keeps the metadata; dropout is training-only.
 */
class AdapterSwitchTest {

    /** Two adapters with nonzero B: LoRA "a" on q_proj,v_proj and DoRA "b" on all-linear, over a Llama base. */
    private static Model twoAdapters(Model base) {
        Model a = new LoraPass(LoraConfig.of("q_proj,v_proj").withAdapterName("a").withR(4)).inject(base).model();
        randomizeB(a, "a", 1);
        Model ab = new DoraPass(LoraConfig.of("all-linear").withAdapterName("b").withR(2).withSeed(9)).inject(a)
                .model();
        randomizeB(ab, "b", 100);
        return ab;
    }

    private static void randomizeB(Model m, String adapter, long seed) {
        for (String t : PeftMetadata.adapter(m, adapter).orElseThrow().tensors().values()) {
            if (t.contains(".lora_B.")) {
                PeftModels.randomize(m.graph(), t, 0.2, seed++);
            }
        }
    }

    @Test
    void switchingSetsGatesOnlyAndSwitchingBackIsExact() {
        Model base = PeftModels.llama(Form.TRAINING);
        Model both = twoAdapters(base);
        assertThat(PeftMetadata.activeAdapters(both)).containsExactly("a", "b");
        assertThat(AdapterSwitch.gates(both)).containsExactly(Map.entry("a", 1.0), Map.entry("b", 1.0));
        Map<String, Tensor> feeds = PeftModels.feeds(base, 4);
        Map<String, float[]> y0 = PeftModels.run(base, feeds);

        Model onlyA = AdapterSwitch.activate(both, "a");
        assertThat(PeftMetadata.activeAdapters(onlyA)).containsExactly("a");
        assertThat(structure(onlyA)).as("no node changes").isEqualTo(structure(both));
        Map<String, float[]> ya = PeftModels.run(onlyA, feeds);
        Model aAlone = GraphCopier.copy(both);
        Model reference = new LoraPass(LoraConfig.of("q_proj,v_proj").withAdapterName("a").withR(4)).inject(base)
                .model();
        for (String t : PeftMetadata.adapter(reference, "a").orElseThrow().tensors().values()) {
            reference.graph().setInitializerTensor(reference.graph().initializer(t),
                    aAlone.graph().initializer(t).constant());
        }
        PeftModels.assertIdentical("gate b = 0 equals a model holding adapter a alone", PeftModels.run(reference,
                feeds), ya);

        Model onlyB = AdapterSwitch.activate(onlyA, "b");
        Map<String, float[]> yb = PeftModels.run(onlyB, feeds);
        assertThat(yb.get("logits")).isNotEqualTo(ya.get("logits"));
        PeftModels.assertIdentical("back to a", ya, PeftModels.run(AdapterSwitch.activate(onlyB, "a"), feeds));
        PeftModels.assertIdentical("all off is the base model", y0,
                PeftModels.run(AdapterSwitch.deactivateAll(onlyB), feeds));
        assertThat(PeftMetadata.activeAdapters(AdapterSwitch.deactivateAll(onlyB))).isEmpty();
    }

    /** A weighted mix of LoRA adapters is linear in the gates: y(½a + ½c) = ½(y(a) + y(c)) up to rounding. */
    @Test
    void weightedMixOfLoraAdaptersIsTheAverageOfTheirDeltas() {
        Model base = PeftModels.llama(Form.TRAINING);
        Model a = new LoraPass(LoraConfig.of("q_proj").withAdapterName("a")).inject(base).model();
        randomizeB(a, "a", 1);
        Model ac = new LoraPass(LoraConfig.of("q_proj").withAdapterName("c").withSeed(4)).inject(a).model();
        randomizeB(ac, "c", 50);
        Map<String, Double> half = new LinkedHashMap<>();
        half.put("a", 0.5);
        half.put("c", 0.5);
        Model mixed = AdapterSwitch.weighted(ac, half);
        assertThat(mixed.metadataProps()).containsEntry(AdapterSwitch.WEIGHTS, "a=0.5,c=0.5");
        Map<String, Tensor> feeds = PeftModels.feeds(base, 2);
        // only q_proj of two layers changes; the model is not linear in them, so compare the merged reference
        Model ref = LoraReference.merged(LoraReference.merged(base, ac, List.of("model.layers.0.self_attn.q_proj",
                "model.layers.1.self_attn.q_proj"), "a", false, 0.5), ac, List.of("model.layers.0.self_attn.q_proj",
                "model.layers.1.self_attn.q_proj"), "c", false, 0.5);
        // float32 rounding of two separately computed deltas vs one merged weight: as LoraNumericsTest, 1e-5 rel
        PeftModels.assertClose("weighted 0.5/0.5 vs merged reference", PeftModels.run(ref, feeds),
                PeftModels.run(mixed, feeds), 1e-6, 1e-5);
        assertThatThrownBy(() -> AdapterSwitch.weighted(ac, Map.of("z", 1.0)))
                .hasMessage("no LoRA/DoRA adapter named 'z'; the model has [a, c]");
    }

    @Test
    void gatesAsRuntimeInputsSwitchPerRun() {
        Model base = PeftModels.llama(Form.KV_CACHE);
        Model both = twoAdapters(base);
        Model runtime = AdapterSwitch.withRuntimeGates(both);
        assertThat(runtime.graph().inputs().stream().map(v -> v.name()))
                .contains(AdapterSwitch.gateName("a"), AdapterSwitch.gateName("b"));
        Map<String, Tensor> feeds = new LinkedHashMap<>(PeftModels.feeds(base, 3));
        PeftModels.assertIdentical("defaults are the initializers", PeftModels.run(both, feeds),
                PeftModels.run(runtime, feeds));
        feeds.put(AdapterSwitch.gateName("a"), Tensor.scalarFloat(AdapterSwitch.gateName("a"), 0f));
        feeds.put(AdapterSwitch.gateName("b"), Tensor.scalarFloat(AdapterSwitch.gateName("b"), 1f));
        PeftModels.assertIdentical("fed gates = activate(b)", PeftModels.run(AdapterSwitch.activate(both, "b"),
                PeftModels.feeds(base, 3)), PeftModels.run(runtime, feeds));
    }

    @Test
    void saveAndLoadKeepsAdaptersMarksAndOutputs() throws Exception {
        Model base = PeftModels.gpt2(Form.TRAINING);
        Model m = new DoraPass(LoraConfig.of("c_attn").withAdapterName("x").withDropout(0.05)).inject(base).model();
        Model back = OnnxReader.read(PeftModels.bytes(m));
        assertThat(back.metadataProps()).isEqualTo(m.metadataProps());
        assertThat(PeftMetadata.adapters(back)).isEqualTo(PeftMetadata.adapters(m));
        assertThat(PeftMetadata.trainable(back)).isEqualTo(PeftMetadata.trainable(m));
        assertThat(ModelPrinter.print(back, true)).isEqualTo(ModelPrinter.print(m, true));
        assertThat(back.graph().nodes().stream().filter(n -> n.metadataProps().containsKey("ortune.stop_gradient")))
                .hasSize(2);
        assertThat(back.graph().nodes().stream().filter(n -> n.metadataProps().containsKey("ortune.training_only")))
                .hasSize(2);
    }

    @Test
    void strippingDropoutGivesTheDropoutFreeModel() {
        Model base = PeftModels.gpt2(Form.TRAINING);
        LoraConfig cfg = LoraConfig.of("c_attn,c_proj").withSeed(2);
        Model withDropout = new LoraPass(cfg.withDropout(0.3)).inject(base).model();
        Model without = new LoraPass(cfg).inject(base).model();
        for (String t : PeftMetadata.adapter(without, "default").orElseThrow().tensors().values()) {
            if (t.contains(".lora_B.")) {
                PeftModels.randomize(withDropout.graph(), t, 0.3, t.hashCode());
                PeftModels.randomize(without.graph(), t, 0.3, t.hashCode());
            }
        }
        PassResult stripped = PassRegistry.builtIn().create("strip-training-only").run(withDropout);
        assertThat(stripped.changes()).containsExactly("removed 6 training-only nodes");
        assertThat(stripped.model().graph().nodes()).noneMatch(n -> n.is("Dropout"));
        assertThat(withDropout.graph().nodes().stream().filter(n -> n.is("Dropout"))).as("input unchanged")
                .hasSize(6);
        Map<String, Tensor> feeds = PeftModels.feeds(base, 1);
        PeftModels.assertIdentical("stripped = injected without dropout", PeftModels.run(without, feeds),
                PeftModels.run(stripped.model(), feeds));
        Map<String, float[]> dropped = PeftModels.run(withDropout, feeds);
        assertThat(dropped.get("logits")).as("training-mode dropout drops").isNotEqualTo(
                PeftModels.run(without, feeds).get("logits"));
    }

    private static List<String> structure(Model m) {
        return m.graph().nodes().stream().map(Node::name).toList();
    }
}
