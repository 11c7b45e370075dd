package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The divergence tracker on hand-made loss sequences (no runtime needed). */
class DivergenceTrackerTest {

    @Test
    void runningMeanIsTheExponentialAverageOfNormalSteps() {
        DivergenceTracker t = new DivergenceTracker(3, 2, 0.5, 2);
        assertThat(t.observe(1, 4, 1).runningMean()).isNaN();
        assertThat(t.observe(2, 2, 1).runningMean()).isEqualTo(4.0);
        // mean = 0.5*4 + 0.5*2 = 3; closed form
        DivergenceTracker.Verdict v = t.observe(3, 8.9, 1);
        assertThat(v.runningMean()).isEqualTo(3.0);
        assertThat(v.spike()).as("8.9 < 3 x 3").isFalse();
        // mean = 0.5*3 + 0.5*8.9 = 5.95; 17.9 > 3 x 5.95 = 17.85
        DivergenceTracker.Verdict spike = t.observe(4, 17.9, 1);
        assertThat(spike.runningMean()).isCloseTo(5.95, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(spike.spike()).isTrue();
        assertThat(t.onset()).contains(new DivergenceTracker.Onset(4, 17.9, 5.95));
    }

    @Test
    void noSpikeIsJudgedDuringWarmUpButNonFiniteAlwaysIs() {
        DivergenceTracker t = new DivergenceTracker(2, 3, 0.9, 1);
        assertThat(t.observe(1, 1, 1).spike()).isFalse();
        assertThat(t.observe(2, 100, 1).spike()).as("warm-up").isFalse();
        assertThat(t.observe(3, 1, Double.POSITIVE_INFINITY).spike()).isTrue();
        assertThat(t.onset().orElseThrow().step()).isEqualTo(3);
    }

    @Test
    void namesTheLastCheckpointBeforeTheSpikeNotTheNewest() {
        DivergenceTracker t = DivergenceTracker.defaults();
        double[] losses = {5, 4.8, 4.6, 4.5, 4.4, 4.3, 4.2, 40, 1.5e13, Double.NaN};
        Path before = null;
        for (int i = 0; i < losses.length; i++) {
            long step = i + 1;
            t.observe(step, losses[i], 1);
            Path ck = Path.of("checkpoints", "step-" + step);
            t.checkpointSaved(step, ck);
            if (step == 7) {
                before = ck;
            }
        }
        assertThat(t.onset().orElseThrow().step()).isEqualTo(8);
        assertThat(t.lastGoodCheckpoint()).contains(before);
    }

    @Test
    void aRecoveredSpikeEndsTheDivergence() {
        DivergenceTracker t = new DivergenceTracker(3, 2, 0.9, 2);
        for (double l : new double[] {2, 2, 2}) {
            t.observe(1, l, 1);
        }
        t.checkpointSaved(3, Path.of("step-3"));
        t.observe(4, 50, 1);
        assertThat(t.onset()).isPresent();
        t.observe(5, 2, 1);
        assertThat(t.onset()).as("one normal step is not a recovery").isPresent();
        t.observe(6, 2, 1);
        t.checkpointSaved(6, Path.of("step-6"));
        assertThat(t.onset()).isEmpty();
        assertThat(t.lastGoodCheckpoint()).contains(Path.of("step-6"));
    }

    @Test
    void refusesNonsenseSettings() {
        assertThatThrownBy(() -> new DivergenceTracker(1, 5, 0.9, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("factor > 1");
    }
}
