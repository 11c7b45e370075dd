package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.data.Offset.offset;

import io.ortune.graph.ir.Model;
import io.ortune.models.config.Gpt2Config;

import org.junit.jupiter.api.Test;

/** Seeded random initialization follows Hugging Face's {@code _init_weights} and is reproducible. */
class RandomInitTest {

    private static double std(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        return Math.sqrt(s / v.length);
    }

    private static float[] weight(Model m, String name) {
        return m.graph().initializer(name).constant().toFloats();
    }

    @Test
    void followsHuggingFaceInit() {
        Gpt2Config c = (Gpt2Config) TinyConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":500,"
                + "\"n_positions\":64,\"n_embd\":64,\"n_layer\":8,\"n_head\":4}");
        Model m = ModelFactory.randomInit(c, 7, Form.TRAINING);
        assertThat(std(weight(m, "transformer.wte.weight"))).isCloseTo(0.02, offset(0.001));
        assertThat(std(weight(m, "transformer.h.3.mlp.c_fc.weight"))).isCloseTo(0.02, offset(0.001));
        assertThat(std(weight(m, "transformer.h.3.attn.c_proj.weight"))).isCloseTo(0.02 / 4, offset(0.0005));
        assertThat(weight(m, "transformer.h.3.ln_1.weight")).containsOnly(1f);
        assertThat(weight(m, "transformer.h.3.attn.c_attn.bias")).containsOnly(0f);
    }

    @Test
    void sameSeedSameWeightsOtherSeedOthers() {
        Model a = ModelFactory.randomInit(TinyConfigs.llamaGqa(), 1, Form.TRAINING);
        Model b = ModelFactory.randomInit(TinyConfigs.llamaGqa(), 1, Form.KV_CACHE);
        Model c = ModelFactory.randomInit(TinyConfigs.llamaGqa(), 2, Form.TRAINING);
        String q = "model.layers.1.self_attn.q_proj.weight";
        assertThat(weight(b, q)).containsExactly(weight(a, q));
        assertThat(weight(c, q)).isNotEqualTo(weight(a, q));
    }
}
