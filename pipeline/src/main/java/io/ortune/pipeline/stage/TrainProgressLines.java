package io.ortune.pipeline.stage;

import io.ortune.training.trainer.EvalResult;
import io.ortune.training.trainer.StepMetrics;
import io.ortune.training.trainer.TrainingListener;

import java.nio.file.Path;
import java.util.Locale;
import java.util.function.Consumer;

/** The trainer's events as the train stage's progress lines: about ten step lines per run, every eval, checkpoints. */
final class TrainProgressLines implements TrainingListener {

    private final Consumer<String> out;
    private long every = 1;

    TrainProgressLines(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void onStart(long startStep, long totalSteps, int batchesPerEpoch) {
        every = Math.max(1, totalSteps / 10);
        out.accept(String.format(Locale.ROOT, "training steps %d..%d (%d batches per epoch)", startStep + 1,
                totalSteps, batchesPerEpoch));
    }

    @Override
    public void onStep(StepMetrics m) {
        if (m.step() % every == 0 || m.step() == m.totalSteps()) {
            out.accept(String.format(Locale.ROOT, "step %d/%d loss %.4f lr %.2e %.0f tokens/s", m.step(),
                    m.totalSteps(), m.loss(), m.lr(), m.tokensPerSecond()));
        }
    }

    @Override
    public void onEval(EvalResult r, boolean best) {
        out.accept(String.format(Locale.ROOT, "eval at step %d: loss %.4f%s", r.step(), r.loss(),
                r.metrics().isEmpty() ? "" : " " + r.metrics()));
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        out.accept("checkpoint at step " + step);
    }

    @Override
    public void onMessage(String message) {
        out.accept(message);
    }
}
