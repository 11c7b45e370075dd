package io.ortune.export.merge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.export.adapter.PeftAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.graph.peft.StripTrainingOnlyPass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;

/**
 * {@link Merges#mergeAndUnload}: every foldable method merged equals the unmerged adapter model in ONNX Runtime within
 * {@code 1e-5 + 1e-5·|b|} (fp32), on ortune-built GPT-2 ([in,out] Conv1D weights) and Llama ([out,in], GQA) and on
 * the foreign all-MiniLM-L6-v2 export ([in,out] MatMul initializers); the merged model is shaped exactly like the
 * base; what cannot fold is refused with the reason and stays.
 */
class MergeAndUnloadTest {

    private static double mergedEqualsUnmerged(Model base, Model adapted, Map<String, Tensor> feeds, String out) {
        MergeResult r = Merges.mergeAndUnload(adapted);
        Fixtures.assertShapedLikeBase(r.model(), base);
        Tensor unmerged = Fixtures.run(adapted, feeds, out);
        Tensor merged = Fixtures.run(r.model(), feeds, out);
        Tensor plain = Fixtures.run(base, feeds, out);
        assertThat(plain.toFloats()).as("the adapter changes the outputs, so equality means something")
                .isNotEqualTo(unmerged.toFloats());
        assertThat(r.report().maxAbsDelta()).isPositive();
        assertThat(r.report().refused()).isEmpty();
        double err = Fixtures.assertClose("merged vs unmerged", merged, unmerged, Fixtures.ATOL, Fixtures.RTOL);
        System.out.printf(java.util.Locale.ROOT, "merge %s %s on %s: max |merged - unmerged| = %.2g, max |dW| = %.3g%n",
                r.report().folded(), PeftMetadata.adapters(adapted).stream().map(a -> a.method().cliName()).toList(),
                base.graph().name(), err, r.report().maxAbsDelta());
        return err;
    }

    @Test
    void rsloraWithPatternsOnLlamaFolds() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        LoraConfig cfg = LoraConfig.of("q_proj,v_proj,down_proj").withR(4).withAlpha(8).withRslora(true)
                .withRankPattern(Map.of("v_proj", 2));
        Model adapted = Fixtures.trained(new LoraPass(cfg).inject(base).model(), "default", 3);
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(false), "logits");
        assertThat(Merges.mergeAndUnload(adapted).report().modules()).hasSize(6);
    }

    @Test
    void loraWithTrainingOnlyDropoutFoldsAndEqualsTheStrippedModel() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        Model adapted = Fixtures.trained(new LoraPass(LoraConfig.of("q_proj,v_proj").withR(2).withDropout(0.1))
                .inject(base).model(), "default", 6);
        MergeResult r = Merges.mergeAndUnload(adapted);
        Fixtures.assertShapedLikeBase(r.model(), base);
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("merged vs unmerged inference form", Fixtures.run(r.model(), feeds, "logits"),
                Fixtures.run(new StripTrainingOnlyPass().run(adapted).model(), feeds, "logits"), Fixtures.ATOL,
                Fixtures.RTOL);
    }

    @Test
    void doraOnLlamaFolds() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        Model adapted = Fixtures.trained(new LoraPass(LoraConfig.of("all-linear").withR(4).withAlpha(16)
                .withDora(true)).inject(base).model(), "default", 5);
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(false), "logits");
    }

    @Test
    void ia3WithFeedforwardModulesOnLlamaFolds() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        Model adapted = Fixtures.trained(new Ia3Pass(new Ia3Config("ia3", "k_proj,v_proj,down_proj", "down_proj",
                null)).inject(base).model(), "ia3", 9);
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(false), "logits");
    }

    @Test
    void twoGatedLorasOnGpt2ConvWeightsFold() {
        Model base = Fixtures.decoder("gpt2-tiny");
        Model one = Fixtures.trained(new LoraPass(LoraConfig.of("all-linear").withR(2).withAlpha(4)
                .withAdapterName("a")).inject(base).model(), "a", 1);
        Model two = Fixtures.trained(new LoraPass(LoraConfig.of("c_attn").withR(3).withAlpha(3).withDora(true)
                .withAdapterName("b")).inject(one).model(), "b", 2);
        Model mixed = AdapterSwitch.withRuntimeGates(AdapterSwitch.weighted(two, Map.of("a", 0.7, "b", -0.4)));
        assertThat(mixed.graph().inputs()).anyMatch(v -> v.name().equals("lora_gate.a"));
        mergedEqualsUnmerged(base, mixed, Fixtures.feeds(false), "logits");
        assertThat(Merges.mergeAndUnload(mixed).report().folded()).containsExactly("a", "b");
    }

    @Test
    void ia3AndBiasOnGpt2Folds() {
        Model base = Fixtures.decoder("gpt2-tiny");
        Model adapted = Fixtures.trained(new Ia3Pass(new Ia3Config("default", "c_attn,c_fc,c_proj", "c_fc", null))
                .inject(base).model(), "default", 4);
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(false), "logits");
    }

    @Test
    void peftGoldenAdapterOnForeignMiniLmFolds() throws IOException {
        Model base = Fixtures.miniLm();
        Path dir = Fixtures.root().resolve("export/src/test/resources/golden/peft/minilm-lora");
        Model adapted = PeftAdapters.attach(base, dir, "default").model();
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(true), "last_hidden_state");
    }

    @Test
    void ia3OnForeignMiniLmFolds() throws IOException {
        Model base = Fixtures.miniLm();
        Model adapted = Fixtures.trained(new Ia3Pass(new Ia3Config("default", "key,value,output.dense",
                "output.dense", null)).inject(base).model(), "default", 8);
        mergedEqualsUnmerged(base, adapted, Fixtures.feeds(true), "last_hidden_state");
    }

    @Test
    void bottleneckAndPrefixAreRefusedWithTheReasonAndStay() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        Model lora = Fixtures.trained(new LoraPass(LoraConfig.of("q_proj").withR(2)).inject(base).model(),
                "default", 1);
        Model bn = Fixtures.trained(new BottleneckAdapterPass(new BottleneckAdapterConfig("bn",
                BottleneckAdapterConfig.Style.HOULSBY, 16, BottleneckAdapterConfig.Activation.RELU, null, null, null, 0)).inject(lora).model(), "bn", 2);
        Model px = new PrefixTuningPass(PrefixTuningConfig.of(2).withAdapterName("px")).inject(bn).model();
        MergeResult r = Merges.mergeAndUnload(px);
        assertThat(r.report().folded()).containsExactly("default");
        assertThat(r.report().refused().get("bn")).contains("nonlinear activation").contains("stays in the graph");
        assertThat(r.report().refused().get("px")).contains("key/value positions");
        assertThat(PeftMetadata.adapters(r.model()).stream().map(a -> a.name()).toList()).containsExactly("bn", "px");
        assertThat(r.model().graph().initializers().keySet()).noneMatch(n -> n.contains("lora_"));
        Map<String, Tensor> feeds = Fixtures.feeds(false);
        Fixtures.assertClose("merged vs unmerged", Fixtures.run(r.model(), feeds, "logits"),
                Fixtures.run(px, feeds, "logits"), Fixtures.ATOL, Fixtures.RTOL);
    }

    @Test
    void aModelWithoutAdaptersIsRefused() {
        Model base = Fixtures.decoder("llama-tiny-gqa");
        assertThatThrownBy(() -> Merges.mergeAndUnload(base)).isInstanceOf(MergeException.class)
                .hasMessageContaining("records no adapter").hasMessageContaining("--adapter");
    }
}
