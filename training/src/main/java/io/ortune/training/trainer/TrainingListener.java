package io.ortune.training.trainer;

import java.nio.file.Path;

/** Hears what the {@link Trainer} does, for progress displays and logs. Every method defaults to nothing. */
public interface TrainingListener {

    /** Does nothing. */
    TrainingListener NONE = new TrainingListener() { };

    /** Training is about to start (or resume) at {@code startStep} of {@code totalSteps}. */
    default void onStart(long startStep, long totalSteps, int batchesPerEpoch) {
    }

    /** An optimizer step finished. */
    default void onStep(StepMetrics metrics) {
    }

    /** An evaluation finished. */
    default void onEval(EvalResult result, boolean best) {
    }

    /** A checkpoint was written. */
    default void onCheckpoint(long step, Path dir) {
    }

    /** Something worth a line in the log. */
    default void onMessage(String message) {
    }
}
