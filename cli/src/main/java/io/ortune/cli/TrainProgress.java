package io.ortune.cli;

import io.ortune.training.trainer.EvalResult;
import io.ortune.training.trainer.StepMetrics;
import io.ortune.training.trainer.TrainingListener;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;

/**
 * Shows training progress: on a terminal a live bar (steps, loss, tokens/s, ETA), otherwise (output redirected,
 * CI) plain lines at most every {@code every} steps. Evaluations and checkpoints always get a line.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private long every = 1;
    private long total;

    TrainProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A bar when the JVM has a console, plain lines otherwise. */
    static TrainProgress forConsole(PrintStream out) {
        return new TrainProgress(out, System.console() != null);
    }

    @Override
    public void onStart(long startStep, long totalSteps, int batchesPerEpoch) {
        total = totalSteps;
        every = Math.max(1, totalSteps / 50);
        out.printf(Locale.ROOT, "training: steps %d..%d, %d micro-batches per epoch%n", startStep + 1, totalSteps,
                batchesPerEpoch);
        if (terminal) {
            bar = new ProgressBarBuilder().setTaskName("train").setInitialMax(totalSteps)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new ConsoleProgressBarConsumer(out)).startsFrom(startStep, Duration.ZERO).build();
        }
    }

    @Override
    public void onStep(StepMetrics m) {
        if (bar != null) {
            bar.stepTo(m.step());
            bar.setExtraMessage(String.format(Locale.ROOT, " loss %.4f  lr %.2e  %.0f tok/s", m.loss(), m.lr(),
                    m.tokensPerSecond()));
            return;
        }
        if (m.step() % every == 0 || m.step() == total || m.step() == 1) {
            double perStep = m.elapsedSeconds() / Math.max(1, m.step());
            out.printf(Locale.ROOT, "step %d/%d  loss %.4f  lr %.3e  grad_norm %.3f  %.0f tok/s  elapsed %.1fs"
                    + "  eta %.0fs%n", m.step(), m.totalSteps(), m.loss(), m.lr(), m.gradNorm(), m.tokensPerSecond(),
                    m.elapsedSeconds(), perStep * (m.totalSteps() - m.step()));
        }
    }

    @Override
    public void onEval(EvalResult e, boolean best) {
        line(String.format(Locale.ROOT, "eval @ step %d: loss %.4f  perplexity %.2f  (%d tokens, %.1fs)%s", e.step(),
                e.loss(), e.perplexity(), e.tokens(), e.seconds(), best ? "  [best]" : ""));
    }

    @Override
    public void onCheckpoint(long step, Path dir) {
        line("checkpoint @ step " + step + ": " + dir);
    }

    @Override
    public void onMessage(String message) {
        line(message);
    }

    private void line(String s) {
        if (bar != null) {
            out.print("\r\033[K");
        }
        out.println(s);
    }

    @Override
    public void close() {
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
