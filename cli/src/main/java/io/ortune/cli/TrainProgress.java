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
 *
 * <p>{@link #interruptible} adds a shutdown hook for Ctrl-C (SIGINT/SIGTERM): it prints the step reached and the
 * checkpoint a {@code ortune train --resume RUN_DIR} continues from. It saves no checkpoint itself: the training
 * thread may be inside ONNX Runtime mid-step (the session is not thread-safe), while the last periodic checkpoint
 * is complete by construction (atomic rename), so naming it is both cheap and safe.
 */
final class TrainProgress implements TrainingListener, AutoCloseable {

    private final PrintStream out;
    private final boolean terminal;
    private ProgressBar bar;
    private long every = 1;
    private long total;
    private volatile long stepReached;
    private volatile Path lastCheckpoint;
    private Path run;
    private Thread hook;

    TrainProgress(PrintStream out, boolean terminal) {
        this.out = out;
        this.terminal = terminal;
    }

    /** A bar when the JVM has a console, plain lines otherwise. */
    static TrainProgress forConsole(PrintStream out) {
        return new TrainProgress(out, System.console() != null);
    }

    /** Adds the Ctrl-C hook for a run in {@code runDir} (removed again by {@link #close}); returns this. */
    TrainProgress interruptible(Path runDir) {
        run = runDir;
        hook = new Thread(() -> out.println(interruptMessage()), "ortune-train-interrupt");
        Runtime.getRuntime().addShutdownHook(hook);
        return this;
    }

    /** What the Ctrl-C hook prints: the step reached and the checkpoint to resume from. */
    String interruptMessage() {
        Path ck = lastCheckpoint;
        if (ck == null) {
            try {
                Path pointer = run.resolve(io.ortune.training.trainer.Trainer.CHECKPOINTS).resolve("latest");
                if (java.nio.file.Files.isRegularFile(pointer)) {
                    ck = pointer.resolveSibling(java.nio.file.Files.readString(pointer).trim());
                }
            } catch (java.io.IOException e) {
                ck = null;
            }
        }
        return "\ninterrupted at step " + stepReached + (ck == null ? "; no checkpoint was saved yet (a fresh "
                + "run starts again from step 0)" : "; resume from " + ck + " with: ortune train --resume " + run);
    }

    @Override
    public void onStart(long startStep, long totalSteps, int batchesPerEpoch) {
        stepReached = startStep;
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
        stepReached = m.step();
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
        lastCheckpoint = dir;
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
        if (hook != null) {
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or ran: nothing to remove
            }
            hook = null;
        }
        if (bar != null) {
            bar.close();
            bar = null;
        }
    }
}
