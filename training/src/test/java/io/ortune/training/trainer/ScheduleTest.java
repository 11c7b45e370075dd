package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Model;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Learning-rate schedules against their closed forms, and as the training session actually sets them. */
class ScheduleTest {

    @TempDir
    Path dir;

    /** Hugging Face's cosine-with-warmup, written out independently of {@link LrSchedule}. */
    static double cosine(long s, long warmup, long total, double lr) {
        if (s < warmup) {
            return lr * s / warmup;
        }
        double progress = (double) (s - warmup) / (total - warmup);
        return lr * Math.max(0, 0.5 * (1 + Math.cos(Math.PI * progress)));
    }

    @Test
    void formulasAtEveryStep() {
        LrSchedule lin = new LrSchedule(LrSchedule.Kind.LINEAR, 0.1, 2, 10);
        LrSchedule cos = new LrSchedule(LrSchedule.Kind.COSINE, 0.1, 2, 10);
        LrSchedule con = new LrSchedule(LrSchedule.Kind.CONSTANT, 0.1, 2, 10);
        for (long s = 0; s <= 10; s++) {
            double warm = s < 2 ? 0.1 * s / 2 : Double.NaN;
            assertThat(lin.lr(s)).isCloseTo(s < 2 ? warm : 0.1 * (10 - s) / 8.0, within());
            assertThat(cos.lr(s)).isCloseTo(cosine(s, 2, 10, 0.1), within());
            assertThat(con.lr(s)).isCloseTo(s < 2 ? warm : 0.1, within());
        }
        assertThat(cos.lr(6)).as("half way through the decay").isCloseTo(0.05, within());
        assertThat(LrSchedule.warmupFromRatio(0.1, 25)).isEqualTo(3);
        assertThatThrownBy(() -> LrSchedule.Kind.parse("exp")).hasMessageContaining("constant, linear, cosine");
    }

    private static org.assertj.core.data.Offset<Double> within() {
        return org.assertj.core.data.Offset.offset(1e-15);
    }

    /**
     * The rate ONNX Runtime reports after SetLearningRate, step by step, equals the formula rounded to float32
     * (tolerance: one float32 rounding, 1e-7 relative).
     */
    @Test
    void trainerSetsTheCosineScheduleEveryStep() throws IOException {
        Checks.assumeTraining();
        Model model = TinyLm.gpt2();
        AccumulationAndClippingTest.StepRecorder rec = new AccumulationAndClippingTest.StepRecorder();
        TrainerConfig cfg = TinyLm.sgd(0.01).schedule(LrSchedule.Kind.COSINE).warmupSteps(3).batchSize(2)
                .maxSteps(12).build();
        Trainer.train(new TrainRequest(model, TinyLm.rows(6, 8, 2), List.of(), TinyLm.collator(), dir, cfg, false), rec);
        assertThat(rec.steps).hasSize(12);
        for (StepMetrics m : rec.steps) {
            double expected = cosine(m.step() - 1, 3, 12, 0.01);
            assertThat(m.lr()).as("lr of step %d", m.step()).isCloseTo(expected,
                    org.assertj.core.data.Offset.offset(1e-7 * 0.01 + 1e-12));
        }
    }
}
