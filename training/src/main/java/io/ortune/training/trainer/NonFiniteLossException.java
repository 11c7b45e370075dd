package io.ortune.training.trainer;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Optional;

/**
 * Training stopped because a loss or the gradient norm was NaN or infinite. Thrown before the optimizer step, so
 * the bad step changed nothing. When the loss had already spiked before (see {@link DivergenceTracker}), the
 * message names the step the divergence began at and the last checkpoint saved before it, not merely the newest.
 */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;
    private final long divergenceStep;
    private final transient Path lastGoodCheckpoint;

    NonFiniteLossException(long step, String what, DivergenceTracker.Onset onset, Optional<Path> good,
                           Optional<Path> latest) {
        super(message(step, what, onset, good, latest));
        this.step = step;
        this.divergenceStep = onset == null ? step : onset.step();
        this.lastGoodCheckpoint = good.orElse(null);
    }

    private static String message(long step, String what, DivergenceTracker.Onset onset, Optional<Path> good,
                                  Optional<Path> latest) {
        StringBuilder m = new StringBuilder("training stopped at step " + step + ": " + what
                + " is not finite (NaN or infinite); nothing of this step was applied. ");
        boolean earlier = onset != null && onset.step() < step;
        if (earlier) {
            m.append(String.format(Locale.ROOT, "The divergence began at step %d (loss %.6g against a running mean "
                    + "of %.6g). ", onset.step(), onset.loss(), onset.runningMean()));
        }
        if (good.isEmpty()) {
            m.append(earlier ? "No checkpoint was saved before it." : "No checkpoint was written yet.");
        } else if (!Files.isDirectory(good.get())) {
            m.append("The last checkpoint before it, ").append(good.get())
                    .append(", was already deleted by the checkpoint rotation (keep more with --keep-checkpoints).");
        } else {
            m.append(earlier ? "The last checkpoint before the divergence is " : "The last good checkpoint is ")
                    .append(good.get()).append(" (resume from it with a lower learning rate or clipping).");
            if (earlier && latest.isPresent() && !latest.get().equals(good.get())) {
                m.append(" The newer ").append(latest.get()).append(" was saved after the loss had spiked.");
            }
        }
        return m.append(" Usual causes: learning rate too high, no gradient clipping, bad data.").toString();
    }

    /** The optimizer step (1-based) that produced the non-finite value. */
    public long step() {
        return step;
    }

    /** The step the divergence began at: the first loss spike, or {@link #step()} when there was none. */
    public long divergenceStep() {
        return divergenceStep;
    }

    /** The last checkpoint saved before the divergence began, if any. */
    public Optional<Path> lastGoodCheckpoint() {
        return Optional.ofNullable(lastGoodCheckpoint);
    }
}
