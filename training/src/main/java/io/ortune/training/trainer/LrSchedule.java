package io.ortune.training.trainer;

import java.util.Locale;

/**
 * Learning rate per optimizer step, as Hugging Face's {@code get_*_schedule_with_warmup} compute it. Step
 * {@code s} counts optimizer steps from 0; with {@code W} warm-up steps and {@code T} steps in all the factor
 * applied to the base rate is {@code s / W} while {@code s < W}, then
 * <ul>
 *   <li>constant: 1;</li>
 *   <li>linear: {@code max(0, (T - s) / (T - W))};</li>
 *   <li>cosine: {@code max(0, 0.5 · (1 + cos(π · (s - W) / (T - W))))}.</li>
 * </ul>
 * The trainer sets it with {@code SetLearningRate} before every optimizer step, so nothing about it has to be
 * restored from a checkpoint but the step.
 *
 * @param kind        the shape after warm-up
 * @param baseLr      the peak learning rate
 * @param warmupSteps W
 * @param totalSteps  T
 */
public record LrSchedule(Kind kind, double baseLr, long warmupSteps, long totalSteps) {

    /** The schedule shapes. */
    public enum Kind {
        CONSTANT, LINEAR, COSINE;

        /** The kind spelled {@code name} (constant, linear or cosine, case-insensitive). */
        public static Kind parse(String name) {
            try {
                return valueOf(name.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown schedule '" + name + "' (known: constant, linear, cosine)",
                        e);
            }
        }
    }

    public LrSchedule {
        if (!(baseLr >= 0) || Double.isInfinite(baseLr)) {
            throw new IllegalArgumentException("learning rate must be a finite number >= 0, got " + baseLr);
        }
        if (warmupSteps < 0 || totalSteps < 1) {
            throw new IllegalArgumentException("need warm-up steps >= 0 and total steps >= 1, got " + warmupSteps
                    + " and " + totalSteps);
        }
    }

    /** Warm-up steps from a ratio of the total, rounded up as Hugging Face does. */
    public static long warmupFromRatio(double ratio, long totalSteps) {
        if (!(ratio >= 0 && ratio <= 1)) {
            throw new IllegalArgumentException("warm-up ratio must be in [0, 1], got " + ratio);
        }
        return (long) Math.ceil(ratio * totalSteps);
    }

    /** The factor of the base rate at optimizer step {@code step}. */
    public double factor(long step) {
        if (step < warmupSteps) {
            return (double) step / Math.max(1, warmupSteps);
        }
        double span = Math.max(1, totalSteps - warmupSteps);
        switch (kind) {
            case CONSTANT:
                return 1.0;
            case LINEAR:
                return Math.max(0.0, (totalSteps - step) / span);
            case COSINE:
                double progress = (step - warmupSteps) / span;
                return Math.max(0.0, 0.5 * (1.0 + Math.cos(Math.PI * progress)));
            default:
                throw new IllegalStateException("unknown schedule " + kind);
        }
    }

    /** The learning rate at optimizer step {@code step}. */
    public double lr(long step) {
        return baseLr * factor(step);
    }
}
