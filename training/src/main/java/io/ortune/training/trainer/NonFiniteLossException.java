package io.ortune.training.trainer;

/**
 * Training stopped because a loss or the gradient norm was NaN or infinite. Thrown before the optimizer step, so
 * the bad step changed nothing; the last checkpoint written is intact.
 */
public final class NonFiniteLossException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final long step;

    NonFiniteLossException(long step, String what, String lastCheckpoint) {
        super("training stopped at step " + step + ": " + what + " is not finite (NaN or infinite); nothing of this "
                + "step was applied. " + (lastCheckpoint == null ? "No checkpoint was written yet."
                : "The last good checkpoint is " + lastCheckpoint + " (resume from it with a lower learning rate or "
                + "clipping).") + " Usual causes: learning rate too high, no gradient clipping, bad data.");
        this.step = step;
    }

    /** The optimizer step (1-based) that produced the non-finite value. */
    public long step() {
        return step;
    }
}
