package io.ortune.training.trainer;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An evaluation over the held-out rows.
 *
 * @param step       optimizer steps done when it ran
 * @param loss       mean loss per labelled token
 * @param perplexity exp(loss)
 * @param tokens     loss units evaluated: labelled tokens (causal LM), pairs (reward) or rows (classification)
 * @param seconds    how long it took
 * @param metrics    the objective's other metrics (e.g. {@code accuracy}), weighted means over the batches
 */
public record EvalResult(long step, double loss, double perplexity, long tokens, double seconds,
                         Map<String, Double> metrics) {

    public EvalResult {
        metrics = Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A result with no other metric. */
    public EvalResult(long step, double loss, double perplexity, long tokens, double seconds) {
        this(step, loss, perplexity, tokens, seconds, Map.of());
    }

    /** The metric called {@code name}, NaN if the objective has none such. */
    public double metric(String name) {
        return metrics.getOrDefault(name, Double.NaN);
    }

    public String toJsonLine() {
        StringBuilder extra = new StringBuilder();
        metrics.forEach((k, v) -> extra.append(",\"eval_").append(k).append("\":").append(StepMetrics.num(v)));
        return String.format(Locale.ROOT, "{\"step\":%d,\"eval_loss\":%s,\"eval_perplexity\":%s,\"eval_tokens\":%d,"
                + "\"eval_s\":%.3f%s}", step, StepMetrics.num(loss), StepMetrics.num(perplexity), tokens, seconds,
                extra);
    }
}
