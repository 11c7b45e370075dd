package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.BottleneckAdapterConfig;
import io.ortune.graph.peft.BottleneckAdapterPass;
import io.ortune.graph.peft.Ia3Config;
import io.ortune.graph.peft.Ia3Pass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.PrefixTuningConfig;
import io.ortune.graph.peft.PrefixTuningPass;
import io.ortune.graph.peft.PromptTuningConfig;
import io.ortune.graph.peft.PromptTuningPass;
import io.ortune.graph.peft.StripTrainingOnlyPass;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Adapters injected by ortune's own passes (then "trained": every tensor but lora_A set to seeded random values),
 * extracted
 * to a PEFT folder, read back and attached to a fresh base: the same tensors bit for bit and identical logits.
 */
class NativeRoundTripTest {

    @TempDir
    Path tmp;

    /** Sets every tensor of adapter {@code name} but lora_A to seeded random values, as training would. */
    static Model trained(Model m, String name, long seed) {
        Random rnd = new Random(seed);
        AdapterInfo info = PeftMetadata.adapter(m, name).orElseThrow();
        for (Map.Entry<String, String> e : info.tensors().entrySet()) {
            if (e.getKey().endsWith(".lora_A.weight")) {
                continue;
            }
            Value v = m.graph().initializer(e.getValue());
            float[] x = new float[(int) v.constant().elementCount()];
            for (int i = 0; i < x.length; i++) {
                boolean scale = e.getKey().endsWith("magnitude_vector") || e.getKey().endsWith(".ia3_l");
                x[i] = (float) (rnd.nextGaussian() * 0.2 + (scale ? 1 : 0));
            }
            m.graph().setInitializerTensor(v, Tensor.ofFloats(v.name(), v.constant().dims(), x));
        }
        return m;
    }

    private void roundTrip(PeftGolden g, LoraConfig cfg, PeftMethod method) throws IOException {
        roundTrip(g, base -> new LoraPass(cfg).inject(base), cfg.adapterName(), method);
    }

    private void roundTrip(PeftGolden g, java.util.function.Function<Model, Injection> pass, String name,
                           PeftMethod method) throws IOException {
        Model base = g.base();
        Injection inj = pass.apply(base);
        Model original = new StripTrainingOnlyPass().run(trained(inj.model(), name, 7)).model();
        Path dir = tmp.resolve(name);
        PeftAdapters.extractTo(original, name, dir);
        PeftAdapter file = PeftAdapterFiles.read(dir, base);
        assertThat(file.method()).isEqualTo(method);
        Injection again = PeftAdapters.attach(base, file, name);
        AdapterInfo a = PeftMetadata.adapter(original, name).orElseThrow();
        AdapterInfo b = PeftMetadata.adapter(again.model(), name).orElseThrow();
        assertThat(b.tensors()).isEqualTo(a.tensors());
        for (String init : a.tensors().values()) {
            assertThat(again.model().graph().initializer(init).constant()
                    .contentEquals(original.graph().initializer(init).constant())).as(init).isTrue();
        }
        float[] x = PeftGolden.run(original, g.feeds()).get("logits").toFloats();
        float[] y = PeftGolden.run(again.model(), g.feeds()).get("logits").toFloats();
        assertThat(y).as("identical logits after ortune -> PEFT folder -> ortune").containsExactly(x);
        float[] plain = PeftGolden.run(base, g.feeds()).get("logits").toFloats();
        assertThat(plain).as("the trained adapter changes the logits, so equality means something").isNotEqualTo(x);
    }

    @Test
    void loraWithPatternsLayersAndRsloraRoundTrips() throws IOException {
        LoraConfig cfg = LoraConfig.of("q_proj,v_proj,down_proj").withR(4).withAlpha(8).withRslora(true)
                .withDropout(0.1).withLayers(LayerRange.parse("1"))
                .withRankPattern(Map.of("v_proj", 2)).withAlphaPattern(Map.of("down_proj", 3.0))
                .withAdapterName("mine");
        roundTrip(PeftGolden.load("llama-lora"), cfg, PeftMethod.LORA);
        PeftAdapterConfig c = PeftAdapterFiles.read(tmp.resolve("mine")).config();
        assertThat(c.layersToTransform()).containsExactly(1);
        assertThat(c.useRslora()).isTrue();
        assertThat(c.loraDropout()).isEqualTo(0.1);
        assertThat(c.rankPattern()).containsEntry("v_proj", 2);
        assertThat(c.alphaPattern()).containsEntry("down_proj", 3.0);
        assertThat(c.targets().modules()).containsExactly("q_proj", "v_proj", "down_proj");
    }

    @Test
    void doraRoundTripsWithItsMagnitudeVector() throws IOException {
        LoraConfig cfg = LoraConfig.of("q_proj,v_proj").withR(4).withAlpha(16).withDora(true);
        roundTrip(PeftGolden.load("llama-lora"), cfg, PeftMethod.DORA);
        PeftAdapter a = PeftAdapterFiles.read(tmp.resolve("default"));
        assertThat(a.config().useDora()).isTrue();
        assertThat(a.config().peftType()).isEqualTo("LORA");
        assertThat(a.tensor("base_model.model.model.layers.0.self_attn.v_proj.lora_magnitude_vector").dims())
                .containsExactly(16);
    }

    @Test
    void gpt2AllLinearRoundTripsAsPeftsExpandedList() throws IOException {
        LoraConfig cfg = LoraConfig.of("all-linear").withR(2).withAlpha(4);
        roundTrip(PeftGolden.load("gpt2-lora"), cfg, PeftMethod.LORA);
        PeftAdapterConfig c = PeftAdapterFiles.read(tmp.resolve("default")).config();
        assertThat(c.targets().modules()).containsExactlyInAnyOrder("c_attn", "c_fc", "c_proj");
        assertThat(c.fanInFanOut()).as("GPT-2's Conv1D weights are [in, out]").isTrue();
    }

    @Test
    void ia3RoundTripsWithFeedforwardModules() throws IOException {
        roundTrip(PeftGolden.load("llama-lora"), base -> new Ia3Pass(new Ia3Config("ia3", "k_proj,v_proj,down_proj",
                "down_proj", null)).inject(base), "ia3", PeftMethod.IA3);
        PeftAdapter a = PeftAdapterFiles.read(tmp.resolve("ia3"));
        assertThat(a.config().feedforwardModules()).containsExactly("down_proj");
        assertThat(a.tensor("base_model.model.model.layers.0.mlp.down_proj.ia3_l").dims()).containsExactly(1, 64);
        assertThat(a.tensor("base_model.model.model.layers.0.self_attn.k_proj.ia3_l").dims()).containsExactly(16, 1);
    }

    @Test
    void promptTuningRoundTrips() throws IOException {
        roundTrip(PeftGolden.load("gpt2-lora"), base -> new PromptTuningPass(PromptTuningConfig.random(3)
                .withAdapterName("prompt")).inject(base), "prompt", PeftMethod.PROMPT);
        PeftAdapter a = PeftAdapterFiles.read(tmp.resolve("prompt"));
        assertThat(a.config().numVirtualTokens()).isEqualTo(3);
        assertThat(a.tensor("prompt_embeddings").dims()).containsExactly(3, 32);
    }

    @Test
    void prefixTuningRoundTrips() throws IOException {
        roundTrip(PeftGolden.load("llama-lora"), base -> new PrefixTuningPass(PrefixTuningConfig.of(2)
                .withAdapterName("prefix")).inject(base), "prefix", PeftMethod.PREFIX);
        PeftAdapter a = PeftAdapterFiles.read(tmp.resolve("prefix"));
        assertThat(a.config().peftType()).isEqualTo("PREFIX_TUNING");
        assertThat(a.tensor("prompt_embeddings").dims()).as("[P, layers * 2 * kv_heads * head_dim]")
                .containsExactly(2, 2 * 2 * 16);
    }

    @Test
    void reparameterizedPrefixIsSavedCollapsedToPlainPrefixesAsPeftSavesIt() throws IOException {
        PeftGolden g = PeftGolden.load("llama-lora");
        Model base = g.base();
        Model original = trained(new PrefixTuningPass(PrefixTuningConfig.of(2).withReparameterization(5)
                .withAdapterName("mlp")).inject(base).model(), "mlp", 9);
        Path dir = tmp.resolve("mlp");
        PeftAdapters.extractTo(original, "mlp", dir);
        PeftAdapter file = PeftAdapterFiles.read(dir, base);
        assertThat(file.tensors().keySet()).containsExactly("prompt_embeddings");
        assertThat(file.tensor("prompt_embeddings").dims()).containsExactly(2, 2 * 2 * 16);
        assertThat(file.config().other()).containsEntry("prefix_projection", false)
                .doesNotContainKey("encoder_hidden_size");
        Model again = PeftAdapters.attach(base, file, "mlp").model();
        double[] x = doubles(PeftGolden.run(original, g.feeds()).get("logits").toFloats());
        double[] y = doubles(PeftGolden.run(again, g.feeds()).get("logits").toFloats());
        double[] plain = doubles(PeftGolden.run(base, g.feeds()).get("logits").toFloats());
        double worst = 0;
        double moved = 0;
        for (int i = 0; i < x.length; i++) {
            // float64 MLP rounded once vs ONNX Runtime's float32 MLP: a few float32 ulps of the prefix, 1e-5 + 1e-5|b|
            assertThat(Math.abs(y[i] - x[i])).as("logit " + i).isLessThanOrEqualTo(1e-5 + 1e-5 * Math.abs(x[i]));
            worst = Math.max(worst, Math.abs(y[i] - x[i]));
            moved = Math.max(moved, Math.abs(plain[i] - x[i]));
        }
        assertThat(moved).as("the prefix changes the logits").isGreaterThan(1e-3);
        assertThat(worst).isLessThan(moved);
    }

    private static double[] doubles(float[] f) {
        double[] d = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            d[i] = f[i];
        }
        return d;
    }

    @Test
    void bottleneckAdaptersRoundTripAsOrtunesOwnFormat() throws IOException {
        roundTrip(PeftGolden.load("llama-lora"), base -> new BottleneckAdapterPass(new BottleneckAdapterConfig("bn",
                BottleneckAdapterConfig.Style.HOULSBY, 4, BottleneckAdapterConfig.Activation.RELU, null, null, null, 0))
                .inject(base), "bn", PeftMethod.ADAPTER);
        PeftAdapter a = PeftAdapterFiles.read(tmp.resolve("bn"));
        assertThat(a.config().peftType()).isEqualTo("BOTTLENECK_ADAPTER");
        assertThat(a.config().other()).containsEntry("style", "houlsby").containsEntry("reduction_factor", 4);
        assertThat(a.modules()).contains("model.layers.0.self_attn.o_proj", "model.layers.1.mlp.down_proj");
        assertThat(a.tensor("base_model.model.model.layers.0.self_attn.o_proj.adapter_down.weight").dims())
                .containsExactly(8, 32);
    }

    @Test
    void attachForTrainingKeepsTheDropoutAndAttachLeavesItOut() throws IOException {
        PeftGolden g = PeftGolden.load("llama-lora");
        PeftAdapter a = PeftAdapterFiles.read(g.dir());
        Model base = g.base();
        long train = PeftAdapters.attachForTraining(base, a, "default").model().graph().nodes().stream()
                .filter(n -> n.is("Dropout")).count();
        long infer = PeftAdapters.attach(base, a, "default").model().graph().nodes().stream()
                .filter((Node n) -> n.is("Dropout")).count();
        assertThat(train).as("lora_dropout 0.05 on 4 modules").isEqualTo(4);
        assertThat(infer).isZero();
    }
}
