package io.ortune.training.trainer;

import java.util.Locale;

/**
 * An evaluation over the held-out rows.
 *
 * @param step       optimizer steps done when it ran
 * @param loss       mean loss per labelled token
 * @param perplexity exp(loss)
 * @param tokens     labelled tokens evaluated
 * @param seconds    how long it took
 */
public record EvalResult(long step, double loss, double perplexity, long tokens, double seconds) {

    public String toJsonLine() {
        return String.format(Locale.ROOT, "{\"step\":%d,\"eval_loss\":%s,\"eval_perplexity\":%s,\"eval_tokens\":%d,"
                + "\"eval_s\":%.3f}", step, StepMetrics.num(loss), StepMetrics.num(perplexity), tokens, seconds);
    }
}
