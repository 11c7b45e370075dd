package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Hugging Face's rule: no decay for biases, LayerNorm/RMSNorm weights and 1-D tensors. */
class WeightDecayPolicyTest {

    @ParameterizedTest
    @CsvSource({
        "transformer.h.0.attn.c_attn.weight, true",
        "model.layers.3.self_attn.q_proj.lora_A.weight, true",
        "transformer.wte.weight, true",
        "transformer.h.0.attn.c_attn.bias, false",
        "transformer.h.0.ln_1.weight, false",
        "transformer.ln_f.weight, false",
        "model.layers.0.input_layernorm.weight, false",
        "model.layers.0.post_attention_layernorm.weight, false",
        "model.norm.weight, false",
        "bert.embeddings.LayerNorm.weight, false",
        "encoder.layer.0.output.LayerNorm.bias, false",
    })
    void nameRule(String name, boolean decays) {
        assertThat(WeightDecayPolicy.decays(name)).isEqualTo(decays);
    }

    @Test
    void oneDimensionalTensorsNeverDecay() {
        assertThat(WeightDecayPolicy.decays("scale", new long[] {768})).isFalse();
        assertThat(WeightDecayPolicy.decays("scale", new long[] {})).isFalse();
        assertThat(WeightDecayPolicy.decays("proj.weight", new long[] {768, 768})).isTrue();
    }

    @Test
    void planPutsDecayInTheNodeOnlyWhenItAppliesToAll() {
        Map<String, long[]> all2d = new LinkedHashMap<>();
        all2d.put("a.weight", new long[] {2, 2});
        all2d.put("b.weight", new long[] {3, 2});
        WeightDecayPolicy.Plan p = WeightDecayPolicy.plan(0.1f, all2d);
        assertThat(p.nodeWeightDecay()).isEqualTo(0.1f);
        assertThat(p.trainerApplies()).isFalse();

        Map<String, long[]> mixed = new LinkedHashMap<>(all2d);
        mixed.put("a.bias", new long[] {2});
        p = WeightDecayPolicy.plan(0.1f, mixed);
        assertThat(p.nodeWeightDecay()).isZero();
        assertThat(p.trainerWeightDecay()).isEqualTo(0.1f);
        assertThat(p.trainerDecayed()).containsExactly("a.weight", "b.weight");
        assertThat(p.undecayed()).containsExactly("a.bias");
        assertThat(p.trainerApplies()).isTrue();

        p = WeightDecayPolicy.plan(0f, mixed);
        assertThat(p.nodeWeightDecay()).isZero();
        assertThat(p.trainerApplies()).isFalse();
        assertThat(p.undecayed()).hasSize(3);
    }
}
