package io.ortune.pipeline.stage;

import io.ortune.pipeline.config.TokenTask;
import io.ortune.training.data.Example;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Closed-form checks of the evaluate stage's arithmetic and of the generated successor-map task. */
class HeldOutMetricsTest {

    @Test
    void crossEntropyMatchesClosedForms() {
        // uniform logits over v classes: ln v, exactly up to float64 rounding (atol 1e-12)
        float[] z = new float[7];
        assertThat(Math.abs(HeldOutMetrics.crossEntropy(z, 0, 7, 3) - Math.log(7))).isLessThanOrEqualTo(1e-12);
        // two classes with logits (0, a): −log σ(a) for the second, = softplus(−a); large logits stay finite
        float[] two = {0f, 2.5f, 0f, 900f};
        double expect = Math.log1p(Math.exp(-2.5));
        assertThat(Math.abs(HeldOutMetrics.crossEntropy(two, 0, 2, 1) - expect)).isLessThanOrEqualTo(1e-12);
        assertThat(HeldOutMetrics.crossEntropy(two, 2, 2, 0)).isEqualTo(900.0);
        assertThat(HeldOutMetrics.softplus(0)).isEqualTo(Math.log(2));
        assertThat(HeldOutMetrics.softplus(800)).isEqualTo(800.0);
        assertThat(HeldOutMetrics.softplus(-800)).isEqualTo(0.0);
    }

    @Test
    void successorMapIsADeterministicCycle() {
        TokenTask task = new TokenTask("successor-map", 10, 20, 15, 3, 5L);
        List<Example> rows = SuccessorTask.rows(task, 512);
        assertThat(rows).hasSize(20).isEqualTo(SuccessorTask.rows(task, 512));
        Map<Integer, Integer> next = new HashMap<>();
        for (Example e : rows) {
            assertThat(e.inputIds()).hasSize(15);
            assertThat(e.labels()).containsExactly(e.inputIds());
            for (int t = 0; t + 1 < 15; t++) {
                int a = e.inputIds()[t];
                assertThat(a).isBetween(3, 511);
                Integer before = next.putIfAbsent(a, e.inputIds()[t + 1]);
                assertThat(before == null || before == e.inputIds()[t + 1]).as("one successor per id").isTrue();
            }
        }
        assertThat(next).hasSize(10);
        assertThat(SuccessorTask.rows(new TokenTask("successor-map", 10, 20, 15, 3, 6L), 512)).isNotEqualTo(rows);
        assertThatThrownBy(() -> SuccessorTask.rows(new TokenTask("successor-map", 600, 8, 4, 3, 1L), 512))
                .hasMessageContaining("512-token vocabulary");
    }
}
