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
 */
public record StepMetrics(long step, long totalSteps, double epoch, double loss, double lr, double gradNorm,
                          long tokens, double tokensPerSecond, double elapsedSeconds) {

    /** The JSON line (no trailing newline). */
    public String toJsonLine() {
        return String.format(Locale.ROOT, "{\"step\":%d,\"loss\":%s,\"lr\":%s,\"grad_norm\":%s,\"tokens\":%d,"
                + "\"tokens_per_s\":%.1f,\"elapsed_s\":%.3f,\"epoch\":%.4f}", step, num(loss), num(lr), num(gradNorm),
                tokens, tokensPerSecond, elapsedSeconds, epoch);
    }

    static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "\"" + v + "\"";
    }
}
