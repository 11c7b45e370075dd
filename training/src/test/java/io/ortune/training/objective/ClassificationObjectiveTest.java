package io.ortune.training.objective;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.OrtRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Sequence classification on the pooled output: cross-entropy and accuracy equal a float64 Java evaluation on the
 * model's own hidden states; gradients match central differences; the classifier export gives [batch, labels].
 */
class ClassificationObjectiveTest {

    private static final int[] LENGTHS = {5, 3, 6, 4};
    private static final long[] LABELS = {0, 2, 1, 2};
    private static final int SEQ = 6;
    private static final int K = 3;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
    }

    private static Map<String, Tensor> feeds() {
        Map<String, Tensor> f = new LinkedHashMap<>(HeadModels.feeds(HeadModels.rows(3, LENGTHS), SEQ));
        f.put(ClassificationObjective.LABELS, Tensor.ofLongs(ClassificationObjective.LABELS,
                new long[] {LABELS.length}, LABELS));
        return f;
    }

    @Test
    void crossEntropyAndAccuracyEqualTheFormula() {
        Model enc = HeadModels.encoder();
        ClassificationObjective.Config cfg = new ClassificationObjective.Config(K, Pooling.AUTO, 5, 0.7);
        ClassificationObjective.Appended a = ClassificationObjective.append(enc, cfg);
        Map<String, Tensor> feeds = feeds();
        float[] h = HeadModels.run(enc, feeds, List.of("last_hidden_state")).get("last_hidden_state").toFloats();
        float[] w = a.model().graph().initializer("classifier.weight").constant().toFloats();
        long[] mask = feeds.get("attention_mask").toLongs();
        double loss = 0;
        double right = 0;
        double[][] logits = new double[LENGTHS.length][K];
        for (int row = 0; row < LENGTHS.length; row++) {
            for (int t = 0; t < SEQ; t++) {
                for (int d = 0; d < HeadModels.HIDDEN; d++) {
                    double pooled = mask[row * SEQ + t] * h[(row * SEQ + t) * HeadModels.HIDDEN + d] / LENGTHS[row];
                    for (int k = 0; k < K; k++) {
                        logits[row][k] += pooled * w[d * K + k];
                    }
                }
            }
            double max = Math.max(logits[row][0], Math.max(logits[row][1], logits[row][2]));
            double z = 0;
            int best = 0;
            for (int k = 0; k < K; k++) {
                z += Math.exp(logits[row][k] - max);
                best = logits[row][k] > logits[row][best] ? k : best;
            }
            loss += (Math.log(z) + max - logits[row][(int) LABELS[row]]) / LENGTHS.length;
            right += best == LABELS[row] ? 1.0 / LENGTHS.length : 0;
        }
        Map<String, Tensor> out = HeadModels.run(a.model(), feeds, List.of("loss", "accuracy"));
        // float32 graph vs float64 formula: rounding ~1e-6 relative
        RewardModelObjectiveTest.assertClose("cross-entropy", out.get("loss").toFloats()[0], loss, 1e-6, 1e-5);
        assertThat(out.get("accuracy").toFloats()[0]).isEqualTo((float) right);

        Tensor y = HeadModels.run(ClassificationObjective.classifierModel(enc, cfg), feeds, List.of("logits"))
                .get("logits");
        assertThat(y.dims()).containsExactly(LENGTHS.length, K);
        for (int row = 0; row < LENGTHS.length; row++) {
            for (int k = 0; k < K; k++) {
                RewardModelObjectiveTest.assertClose("logits", y.toFloats()[row * K + k], logits[row][k], 1e-6, 1e-5);
            }
        }
    }

    @Test
    void crossEntropyGradientsMatchCentralDifferences() {
        Model enc = HeadModels.encoder();
        ClassificationObjective.Appended a = ClassificationObjective.append(enc,
                new ClassificationObjective.Config(K, Pooling.MEAN, 5, 0.7));
        double largest = HeadGradients.check("classification", a.model(), feeds(),
                List.of("classifier.weight", "classifier.bias", "layer.0.dense.weight", "embeddings.weight"), 3);
        assertThat(largest).isGreaterThan(1e-2);
    }

    @Test
    void fewerThanTwoLabelsIsRefused() {
        assertThatThrownBy(() -> ClassificationObjective.Config.of(1)).hasMessageContaining("at least 2");
        assertThatThrownBy(() -> Objectives.byName("dpo-ish", 2)).hasMessageContaining("unknown objective 'dpo-ish'")
                .hasMessageContaining("causal-lm");
    }
}
