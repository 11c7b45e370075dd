package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.SkippedCandidate;
import io.ortune.models.arch.Form;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** Trained-looking adapters (B not zero) against the float64 merged reference; scaling, patterns, layers, errors. */
class LoraNumericsTest {

    /**
     * The adapter graph computes x·W + s·(x·Aᵀ)·Bᵀ in float32, the reference x·(W + s·BA) with the merged weight
     * rounded once: they differ by float32 rounding of a few terms per layer (measured max rel ~1e-6); 1e-5
     * relative as the brief asks, plus 1e-6 absolute for outputs that cross zero.
     */
    private static final double ATOL = 1e-6;
    private static final double RTOL = 1e-5;

    @Test
    void gpt2Conv1dWithNonzeroBEqualsMergedReference() {
        check(PeftModels.gpt2(Form.TRAINING), LoraConfig.of("c_attn,c_proj").withR(4).withAlpha(16), true, 6);
    }

    @Test
    void llamaKvCacheWithNonzeroBEqualsMergedReference() {
        check(PeftModels.llama(Form.KV_CACHE), LoraConfig.of("q_proj,v_proj").withR(4).withAlpha(8), false, 4);
    }

    @Test
    void bertWithNonzeroBEqualsMergedReference() {
        check(PeftModels.bert(), LoraConfig.of("query,value").withR(2), false, 4);
    }

    @Test
    void rsLoraScalesByAlphaOverRootR() {
        Injection inj = check(PeftModels.llama(Form.TRAINING), LoraConfig.of("q_proj").withR(4).withAlpha(8)
                .withRslora(true), false, 2);
        assertThat(scaling(inj.model(), "model.layers.0.self_attn.q_proj")).isEqualTo(4f);
        assertThat(PeftMetadata.adapter(inj.model(), "default").orElseThrow().config())
                .containsEntry("use_rslora", "true");
    }

    /** Randomizes every B, then compares with the merged reference and checks the adapter changed the outputs. */
    private static Injection check(Model base, LoraConfig cfg, boolean inOut, int modules) {
        Injection inj = new LoraPass(cfg).inject(base);
        List<String> mods = new ArrayList<>();
        for (String line : inj.report().injected()) {
            mods.add(line.substring(0, line.indexOf(':')));
        }
        assertThat(mods).hasSize(modules);
        Model adapted = GraphCopier.copy(inj.model());
        long seed = 1;
        for (String m : mods) {
            PeftModels.randomize(adapted.graph(), m + ".lora_B.default.weight", 0.2, seed++);
        }
        Map<String, Tensor> feeds = PeftModels.feeds(base, 9);
        Map<String, float[]> got = PeftModels.run(adapted, feeds);
        Map<String, float[]> ref = PeftModels.run(LoraReference.merged(base, adapted, mods, "default", inOut, 1),
                feeds);
        PeftModels.assertClose("adapter vs merged float64 reference", ref, got, ATOL, RTOL);
        Map<String, float[]> plain = PeftModels.run(base, feeds);
        String first = plain.keySet().iterator().next();
        double diff = 0;
        double mag = 0;
        for (int i = 0; i < plain.get(first).length; i++) {
            diff = Math.max(diff, Math.abs(plain.get(first)[i] - got.get(first)[i]));
            mag = Math.max(mag, Math.abs(plain.get(first)[i]));
        }
        assertThat(diff).as("the adapter changes '%s' far beyond the tolerance", first)
                .isGreaterThan(20 * (ATOL + RTOL * mag));
        return inj;
    }

    @Test
    void rankAndAlphaPatternsFollowPeftsPatternKey() {
        Map<String, Integer> ranks = new LinkedHashMap<>();
        ranks.put("v_proj", 2);
        ranks.put("layers\\.1\\.self_attn\\.q_proj", 6);
        Map<String, Double> alphas = Map.of("q_proj", 32.0);
        Injection inj = new LoraPass(LoraConfig.of("q_proj,v_proj").withR(4).withRankPattern(ranks)
                .withAlphaPattern(alphas)).inject(PeftModels.llama(Form.TRAINING));
        Model m = inj.model();
        assertThat(dims(m, "model.layers.0.self_attn.q_proj.lora_A.default.weight")).containsExactly(4, 32);
        assertThat(dims(m, "model.layers.1.self_attn.q_proj.lora_A.default.weight")).containsExactly(6, 32);
        assertThat(dims(m, "model.layers.1.self_attn.q_proj.lora_B.default.weight")).containsExactly(32, 6);
        assertThat(dims(m, "model.layers.0.self_attn.v_proj.lora_A.default.weight")).containsExactly(2, 32);
        assertThat(dims(m, "model.layers.0.self_attn.v_proj.lora_B.default.weight")).containsExactly(16, 2);
        assertThat(scaling(m, "model.layers.0.self_attn.q_proj")).isEqualTo(8f);
        assertThat(scaling(m, "model.layers.1.self_attn.q_proj")).isEqualTo((float) (32.0 / 6));
        assertThat(scaling(m, "model.layers.0.self_attn.v_proj")).isEqualTo(4f);
        AdapterInfo info = PeftMetadata.adapter(m, "default").orElseThrow();
        assertThat(info.config()).containsEntry("rank_pattern", "v_proj=2,layers\\.1\\.self_attn\\.q_proj=6")
                .containsEntry("alpha_pattern", "q_proj=32");
    }

    @Test
    void layersRestrictTheInjectionAndReportTheRest() {
        Injection inj = new LoraPass(LoraConfig.of("q_proj,v_proj").withLayers(LayerRange.parse("1")))
                .inject(PeftModels.llama(Form.TRAINING));
        assertThat(inj.report().injected()).hasSize(2).allMatch(l -> l.startsWith("model.layers.1."));
        assertThat(inj.report().skipped()).extracting(SkippedCandidate::toString).containsExactlyInAnyOrder(
                "model.layers.0.self_attn.q_proj: layer 0 is not in --layers 1",
                "model.layers.0.self_attn.v_proj: layer 0 is not in --layers 1");
        assertThat(PeftMetadata.adapter(inj.model(), "default").orElseThrow().config())
                .containsEntry("layers_to_transform", "1");
    }

    @Test
    void tiedHeadIsSkippedWithItsReason() {
        Injection inj = new LoraPass(LoraConfig.of("re:.*(q_proj|embed_tokens)"))
                .inject(PeftModels.llamaTied(Form.TRAINING));
        assertThat(inj.report().skipped()).extracting(SkippedCandidate::reason)
                .containsExactly("weight 'model.embed_tokens.weight' is tied to the embedding");
        assertThatThrownBy(() -> new LoraPass(LoraConfig.of("wte")).inject(PeftModels.gpt2(Form.TRAINING)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("target 'wte' selects no usable module")
                .hasMessageContaining("transformer.wte: weight 'transformer.wte.weight' is tied to the embedding");
        Injection all = new LoraPass(LoraConfig.of("all-linear")).inject(PeftModels.llama(Form.TRAINING));
        assertThat(all.report().skipped()).extracting(SkippedCandidate::toString)
                .containsExactly("lm_head: output head (all-linear leaves it out, as PEFT does)");
    }

    @Test
    void gpt2ReportCountsAndMetadata() {
        Model base = PeftModels.gpt2(Form.TRAINING);
        long baseParams = 0;
        for (var v : base.graph().initializers().values()) {
            if (v.constant().dtype().isFloatingPoint() && v.constant().rank() > 0) {
                baseParams += v.constant().elementCount();
            }
        }
        Injection inj = new LoraPass(LoraConfig.of("c_attn,c_proj")).inject(base);
        // per layer: c_attn 8x24 + 72x8 = 768, attn.c_proj 8x24 + 24x8 = 384, mlp.c_proj 8x96 + 24x8 = 960
        assertThat(inj.report().trainableParams()).isEqualTo(2 * (768 + 384 + 960));
        assertThat(inj.report().totalParams()).isEqualTo(baseParams + 4224);
        assertThat(inj.report().parameterLine()).startsWith("trainable params: 4,224 || all params: ");
        assertThat(inj.report().injected()).contains("transformer.h.0.attn.c_proj: lora r=8 alpha=8 scaling=1",
                "transformer.h.1.mlp.c_proj: lora r=8 alpha=8 scaling=1");
        AdapterInfo info = PeftMetadata.adapter(inj.model(), "default").orElseThrow();
        assertThat(info.config()).containsEntry("r", "8").containsEntry("lora_alpha", "8")
                .containsEntry("lora_dropout", "0").containsEntry("use_dora", "false")
                .containsEntry("init_lora_weights", "true").containsEntry("target_modules", "c_attn,c_proj")
                .containsEntry("fan_in_fan_out", "true").doesNotContainKey("layers_to_transform");
        assertThat(info.tensors()).hasSize(12).containsEntry(
                "base_model.model.transformer.h.0.attn.c_attn.lora_A.weight",
                "transformer.h.0.attn.c_attn.lora_A.default.weight");
        assertThat(PeftMetadata.trainable(inj.model()).orElseThrow()).containsExactlyInAnyOrderElementsOf(
                info.tensors().values());
        assertThat(PeftMetadata.active(inj.model())).contains("default");
    }

    @Test
    void refusals() {
        Model llama = PeftModels.llama(Form.TRAINING);
        assertThatThrownBy(() -> new LoraPass(LoraConfig.of("qkv")).inject(llama))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("target 'qkv' matches no linear module of graph 'llama-training'; linear "
                        + "modules (first 12 of 15): lm_head, model.layers.0.mlp.down_proj");
        assertThatThrownBy(() -> new LoraPass(LoraConfig.of("k_proj").withR(17)).inject(llama))
                .hasMessage("rank 17 for module 'model.layers.0.self_attn.k_proj' is larger than min(in, out) = "
                        + "min(32, 16) = 16; lower r (or its rank_pattern entry)");
        Model once = new LoraPass(LoraConfig.of("q_proj")).inject(llama).model();
        assertThatThrownBy(() -> new LoraPass(LoraConfig.of("v_proj")).inject(once))
                .hasMessage("the model already has an adapter named 'default' (adapters: [default]); give the new "
                        + "one another name");
        assertThatThrownBy(() -> LoraConfig.of("q_proj").withR(0)).hasMessage("LoRA rank r must be positive, got 0");
        assertThatThrownBy(() -> LoraConfig.of("q_proj").withDropout(1)).hasMessageContaining("[0, 1)");
        assertThatThrownBy(() -> LoraConfig.of("q_proj").withAdapterName("a.b"))
                .hasMessageContaining("adapter name 'a.b'");
        assertThatThrownBy(() -> LoraConfig.of("q_proj").withRankPattern(Map.of("q_proj(", 4)))
                .hasMessageContaining("rank_pattern key 'q_proj(' is not a valid regular expression");
    }

    private static long[] dims(Model m, String name) {
        return m.graph().initializer(name).constant().dims();
    }

    private static float scaling(Model m, String module) {
        return m.graph().initializer(module + ".lora_scaling.default").constant().toFloats()[0];
    }
}
