package io.ortune.training.trainer;

import java.util.Locale;

/**
 * One optimizer step, as written to {@code metrics.jsonl}.
 *
 * @param step            optimizer steps done (1 after the first)
 * @param totalSteps      steps planned
 * @param epoch           data epoch (fractional: epochs of micro-batches consumed)
 * @param loss            token-weighted mean loss over the step's micro-batches
 * @param lr              learning rate the step used
 * @param gradNorm        global L2 norm of the accumulated gradients, before clipping
 * @param tokens          real tokens in the step
 * @param tokensPerSecond tokens per second of this step
 * @param elapsedSeconds  training time since the start of the run (resumed runs included)
 * @param lossMean        running mean of the loss before this step ({@code loss_mean}; NaN on the first step)
 * @param lossSpike       whether this step was a loss spike ({@code loss_spike}, see the trainer's divergence
 *                        tracking)
 */
public record StepMetrics(long step, long totalSteps, double epoch, double loss, double lr, double gradNorm,
                          long tokens, double tokensPerSecond, double elapsedSeconds, double lossMean,
                          boolean lossSpike) {

    /** A step without divergence tracking figures. */
    public StepMetrics(long step, long totalSteps, double epoch, double loss, double lr, double gradNorm,
                       long tokens, double tokensPerSecond, double elapsedSeconds) {
        this(step, totalSteps, epoch, loss, lr, gradNorm, tokens, tokensPerSecond, elapsedSeconds, Double.NaN,
                false);
    }

    /** The JSON line (no trailing newline). */
    public String toJsonLine() {
        return String.format(Locale.ROOT, "{\"step\":%d,\"loss\":%s,\"lr\":%s,\"grad_norm\":%s,\"tokens\":%d,"
                + "\"tokens_per_s\":%.1f,\"elapsed_s\":%.3f,\"epoch\":%.4f,\"loss_mean\":%s,\"loss_spike\":%b}", step,
                num(loss), num(lr), num(gradNorm), tokens, tokensPerSecond, elapsedSeconds, epoch, num(lossMean),
                lossSpike);
    }

    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
    }
}
