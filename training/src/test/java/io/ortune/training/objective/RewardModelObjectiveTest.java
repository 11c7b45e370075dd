package io.ortune.training.objective;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.runtime.OrtRuntime;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The reward-model objective: its loss, accuracy and margin equal a float64 Java evaluation of the formula on the
 * model's own hidden states; gradients match central differences on an encoder (mean pooling) and on GPT-2 (last
 * token before the tied LM head); the scoring model's {@code score} is [batch] and ignores right padding.
 */
class RewardModelObjectiveTest {

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
    }

    /** Chosen rows 0..2, rejected rows 3..5, with padding in both halves. */
    private static final int[] LENGTHS = {5, 3, 6, 4, 6, 2};
    private static final int SEQ = 6;

    @Test
    void lossAccuracyAndMarginEqualTheFormulaOnMeanPooledStates() {
        Model enc = HeadModels.encoder();
        RewardModelObjective.Config cfg = new RewardModelObjective.Config(Pooling.AUTO, 3, 0.5);
        RewardModelObjective.Appended a = RewardModelObjective.append(enc, cfg);
        assertThat(a.pooling()).isEqualTo(Pooling.MEAN);
        assertThat(a.headParameters()).containsExactly("reward_head.weight", "reward_head.bias");
        assertThat(enc.graph().initializer("reward_head.weight")).as("input model untouched").isNull();
        Map<String, Tensor> feeds = HeadModels.feeds(HeadModels.rows(7, LENGTHS), SEQ);

        float[] h = HeadModels.run(enc, feeds, List.of("last_hidden_state")).get("last_hidden_state").toFloats();
        float[] w = a.model().graph().initializer("reward_head.weight").constant().toFloats();
        double[] r = new double[LENGTHS.length];
        long[] mask = feeds.get("attention_mask").toLongs();
        for (int row = 0; row < r.length; row++) {
            double[] pooled = new double[HeadModels.HIDDEN];
            for (int t = 0; t < SEQ; t++) {
                for (int d = 0; d < pooled.length; d++) {
                    pooled[d] += mask[row * SEQ + t] * h[(row * SEQ + t) * HeadModels.HIDDEN + d];
                }
            }
            for (int d = 0; d < pooled.length; d++) {
                r[row] += pooled[d] / LENGTHS[row] * w[d];
            }
        }
        double loss = 0;
        double right = 0;
        double margin = 0;
        for (int i = 0; i < 3; i++) {
            double diff = r[i] - r[3 + i];
            loss += Math.log1p(Math.exp(-diff)) / 3;
            right += diff > 0 ? 1.0 / 3 : 0;
            margin += diff / 3;
        }
        Map<String, Tensor> out = HeadModels.run(a.model(), feeds, List.of("loss", "accuracy", "margin"));
        // float32 graph vs float64 formula over 6 positions x 8 features: rounding ~1e-6 relative.
        assertClose("loss", out.get("loss").toFloats()[0], loss, 1e-6, 1e-5);
        assertClose("margin", out.get("margin").toFloats()[0], margin, 1e-6, 1e-5);
        assertThat(out.get("accuracy").toFloats()[0]).as("2 of 3 pairs, in float32").isEqualTo((float) right);
        assertThat(right).as("the case is not trivial").isStrictlyBetween(0.0, 1.0);

        Model scoring = RewardModelObjective.scoringModel(enc, cfg);
        Value score = scoring.graph().outputs().get(0);
        assertThat(scoring.graph().outputs()).hasSize(1);
        assertThat(score.name()).isEqualTo("score");
        assertThat(score.shape().rank()).isEqualTo(1);
        Tensor s = HeadModels.run(scoring, feeds, List.of("score")).get("score");
        assertThat(s.dims()).containsExactly(LENGTHS.length);
        for (int row = 0; row < r.length; row++) {
            assertClose("score[" + row + "]", s.toFloats()[row], r[row], 1e-6, 1e-5);
        }
    }

    @Test
    void bradleyTerryGradientsMatchCentralDifferencesOnAnEncoder() {
        Model enc = HeadModels.encoder();
        RewardModelObjective.Appended a = RewardModelObjective.append(enc,
                new RewardModelObjective.Config(Pooling.MEAN, 3, 0.5));
        Map<String, Tensor> feeds = HeadModels.feeds(HeadModels.rows(7, LENGTHS), SEQ);
        double largest = HeadGradients.check("encoder reward", a.model(), feeds,
                List.of("reward_head.weight", "reward_head.bias", "layer.0.dense.weight", "embeddings.weight"), 1);
        assertThat(largest).as("some gradient is far from zero").isGreaterThan(1e-2);
    }

    @Test
    void bradleyTerryGradientsMatchCentralDifferencesOnGpt2LastToken() {
        Model gpt2 = HeadModels.gpt2();
        RewardModelObjective.Appended a = RewardModelObjective.append(gpt2,
                new RewardModelObjective.Config(Pooling.AUTO, 3, 0.5));
        assertThat(a.pooling()).isEqualTo(Pooling.LAST_TOKEN);
        Map<String, Tensor> feeds = HeadModels.feeds(HeadModels.rows(9, LENGTHS), SEQ);
        List<String> tensors = List.of("reward_head.weight", "reward_head.bias", "transformer.ln_f.weight",
                "transformer.h.1.mlp.c_fc.weight");
        for (String t : tensors) {
            assertThat(a.model().graph().initializer(t)).as(t).isNotNull();
        }
        double largest = HeadGradients.check("gpt2 reward", a.model(), feeds, tensors, 2);
        assertThat(largest).isGreaterThan(1e-2);
    }

    @Test
    void decoderScoresReadTheLastRealTokenSoPaddingChangesNothing() {
        Model gpt2 = HeadModels.gpt2();
        Model scoring = RewardModelObjective.scoringModel(gpt2, RewardModelObjective.Config.defaults());
        assertThat(scoring.graph().initializers()).as("the LM head's nodes are gone, the tied embedding stays")
                .containsKey("reward_head.weight");
        assertThat(scoring.graph().nodes().stream().noneMatch(n -> n.outputs().stream()
                .anyMatch(v -> "logits".equals(v.name())))).isTrue();
        List<int[]> rows = HeadModels.rows(4, 3, 5);
        float[] padded = HeadModels.run(scoring, HeadModels.feeds(rows, 8), List.of("score")).get("score").toFloats();
        for (int i = 0; i < rows.size(); i++) {
            float alone = HeadModels.run(scoring, HeadModels.feeds(List.of(rows.get(i)), rows.get(i).length),
                    List.of("score")).get("score").toFloats()[0];
            // same arithmetic on the real positions (causal attention, masked keys): equal to float32 rounding
            assertClose("row " + i + " padded vs alone", padded[i], alone, 1e-6, 1e-5);
        }
        assertThat(padded[0]).isNotEqualTo(padded[1]);
    }

    @Test
    void aModelWithoutAttentionMaskOrHiddenStatesIsRefusedByName() {
        Model m = new Model(new io.ortune.graph.ir.Graph("tiny"));
        io.ortune.graph.build.GraphBuilder b = io.ortune.graph.build.GraphBuilder.on(m);
        Value x = b.input("input_ids", DataType.INT64, "batch", "seq");
        b.output(b.cast(x, DataType.FLOAT), "y");
        assertThatThrownBy(() -> RewardModelObjective.append(m, RewardModelObjective.Config.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("attention_mask");
        b.input("attention_mask", DataType.INT64, "batch", "seq");
        assertThatThrownBy(() -> RewardModelObjective.append(m, RewardModelObjective.Config.defaults()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("last_hidden_state")
                .hasMessageContaining("y");
    }

    static void assertClose(String what, double actual, double expected, double atol, double rtol) {
        assertThat(Math.abs(actual - expected)).as("%s: %s vs %s (|a-b| <= %s + %s|b|)", what, actual, expected, atol,
                rtol).isLessThanOrEqualTo(atol + rtol * Math.abs(expected));
    }
}
