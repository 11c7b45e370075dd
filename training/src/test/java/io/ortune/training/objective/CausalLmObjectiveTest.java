package io.ortune.training.objective;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The appended loss equals Hugging Face's causal-LM loss computed in double from the model's own logits: shift by
 * one, log-softmax over the vocabulary, mean over the labels that are not -100 across the whole batch. Tolerance
 * 1e-5 relative: float32 log-softmax over 40 classes against a double reference.
 */
class CausalLmObjectiveTest {

    @Test
    void lossMatchesTheShiftedCrossEntropyReference() throws IOException {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded");
        Model forward = ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":40,"
                + "\"n_positions\":16,\"n_embd\":8,\"n_layer\":1,\"n_head\":2}", "t"), 1, Form.TRAINING);
        CausalLmObjective.Appended obj = CausalLmObjective.append(forward, true);
        assertThat(obj.model().graph().outputs()).extracting(Value::name).containsExactly("loss", "logits");
        assertThat(forward.graph().outputs()).extracting(Value::name).containsExactly("logits");
        assertThat(CausalLmObjective.append(forward).model().graph().outputs()).extracting(Value::name)
                .containsExactly("loss");

        long[] ids = {3, 7, 1, 9, 4, 2, 5, 8, 8, 0, 0, 0};
        long[] mask = {1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0, 0};
        long[] labels = {-100, -100, 1, 9, 4, 2, 5, 8, 8, -100, -100, -100};
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("input_ids", Tensor.ofLongs("input_ids", new long[] {2, 6}, ids));
        feeds.put("attention_mask", Tensor.ofLongs("attention_mask", new long[] {2, 6}, mask));
        feeds.put("labels", Tensor.ofLongs("labels", new long[] {2, 6}, labels));
        feeds.put("loss_scale", Tensor.scalarFloat("loss_scale", 1f));
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(obj.model()))) {
            Map<String, Tensor> out = s.run(feeds, List.of("loss", "logits"));
            float[] logits = out.get("logits").toFloats();
            double sum = 0;
            int n = 0;
            for (int b = 0; b < 2; b++) {
                for (int t = 0; t + 1 < 6; t++) {
                    long target = labels[b * 6 + t + 1];
                    if (target == -100) {
                        continue;
                    }
                    int base = (b * 6 + t) * 40;
                    double max = Double.NEGATIVE_INFINITY;
                    for (int c = 0; c < 40; c++) {
                        max = Math.max(max, logits[base + c]);
                    }
                    double z = 0;
                    for (int c = 0; c < 40; c++) {
                        z += Math.exp(logits[base + c] - max);
                    }
                    sum += -(logits[base + (int) target] - max - Math.log(z));
                    n++;
                }
            }
            assertThat(n).isEqualTo(3 + 3);
            double expected = sum / n;
            assertThat((double) out.get("loss").toFloats()[0]).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(1e-5 * expected));
        }
    }

    @Test
    void refusesAModelWithoutLogits() {
        Model bert = ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"bert\",\"vocab_size\":30,"
                + "\"hidden_size\":8,\"num_hidden_layers\":1,\"num_attention_heads\":2,\"intermediate_size\":16,"
                + "\"max_position_embeddings\":16,\"num_labels\":2}", "b"), 1, Form.TRAINING);
        assertThatThrownBy(() -> CausalLmObjective.append(bert)).hasMessageContaining("'logits'");
    }

    @Test
    void perplexityIsTokenWeighted() {
        Perplexity p = new Perplexity();
        p.add(2.0, 10);
        p.add(4.0, 30);
        p.add(100.0, 0);
        assertThat(p.tokens()).isEqualTo(40);
        assertThat(p.meanLoss()).isEqualTo(3.5);
        assertThat(p.perplexity()).isCloseTo(Math.exp(3.5), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(new Perplexity().perplexity()).isNaN();
    }
}
