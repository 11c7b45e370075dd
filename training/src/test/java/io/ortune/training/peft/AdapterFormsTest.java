package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.AdapterForms;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraInit;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelForms;

import java.util.Map;

import org.junit.jupiter.api.Test;

/** Adapters trained in the training form carried to the KV-cache form give the same logits, without merging. */
class AdapterFormsTest {

    /** KV-cache graph vs training graph is the same math in another order: 1e-4 absolute, as models' tests use. */
    private static final double ATOL = 1e-4;

    @Test
    void trainingFormAdaptersRunInTheKvCacheForm() {
        Model base = PeftModels.llama(Form.TRAINING);
        Model a = new LoraPass(LoraConfig.of("q_proj,v_proj").withAdapterName("a").withInit(LoraInit.PISSA)
                .withRankPattern(Map.of("v_proj", 2))).inject(base).model();
        randomizeB(a, "a", 1);
        Model ab = new DoraPass(LoraConfig.of("o_proj,down_proj").withAdapterName("b").withR(2)).inject(a).model();
        randomizeB(ab, "b", 40);
        Model trained = AdapterSwitch.weighted(ab, Map.of("a", 1.0, "b", 0.5));

        Model kvBase = ModelForms.toKvCache(AdapterForms.baseWeights(trained));
        Model kv = AdapterForms.transfer(trained, kvBase);
        assertThat(PeftMetadata.adapters(kv)).isEqualTo(PeftMetadata.adapters(trained));
        assertThat(PeftMetadata.trainable(kv)).isEqualTo(PeftMetadata.trainable(trained));
        assertThat(AdapterSwitch.gates(kv)).isEqualTo(AdapterSwitch.gates(trained));
        assertThat(kv.metadataProps().get("ortune.form")).isEqualTo("kv-cache");

        Map<String, Tensor> trainFeeds = PeftModels.feeds(trained, 7);
        Map<String, Tensor> kvFeeds = PeftModels.feeds(kv, 7);
        assertThat(kvFeeds.get("input_ids").toLongs()).isEqualTo(trainFeeds.get("input_ids").toLongs());
        float[] expected = PeftModels.run(trained, trainFeeds).get("logits");
        float[] got = PeftModels.run(kv, kvFeeds).get("logits");
        PeftModels.assertClose("KV-cache form with transferred adapters vs training form", PeftModels.toDoubles(
                expected), PeftModels.toDoubles(got), ATOL, 0);
        float[] plain = PeftModels.run(kvBase, kvFeeds).get("logits");
        double diff = 0;
        for (int i = 0; i < plain.length; i++) {
            diff = Math.max(diff, Math.abs(plain[i] - got[i]));
        }
        assertThat(diff).as("the adapters matter").isGreaterThan(100 * ATOL);
    }

    private static void randomizeB(Model m, String adapter, long seed) {
        for (String t : PeftMetadata.adapter(m, adapter).orElseThrow().tensors().values()) {
            if (t.contains(".lora_B.")) {
                PeftModels.randomize(m.graph(), t, 0.3, seed++);
            }
        }
    }
}
