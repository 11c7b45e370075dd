package io.ortune.training.trainer;

import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.TrainingSession;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.objective.Objective;
import io.ortune.training.objective.Perplexity;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the eval model over the held-out rows in fixed order; the loss and the objective's metrics are weighted by
 * each batch's units (labelled tokens for the causal LM, pairs or rows otherwise).
 */
final class Evaluator {

    private final List<Example> rows;
    private final Collator collator;
    private final int batchSize;
    private final Objective objective;

    Evaluator(List<Example> rows, Collator collator, int batchSize, Objective objective) {
        this.rows = rows;
        this.collator = collator;
        this.batchSize = batchSize;
        this.objective = objective;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    EvalResult run(TrainingSession session, long step) {
        long start = System.nanoTime();
        Perplexity ppl = new Perplexity();
        Map<String, Double> sums = new LinkedHashMap<>();
        long units = 0;
        for (int i = 0; i < rows.size(); i += batchSize) {
            Objective.Fed fed = objective.feed(rows.subList(i, Math.min(rows.size(), i + batchSize)), collator);
            Map<String, Tensor> out = session.evalStep(Feeds.of(session.evalInputNames(), fed.feeds(), 1f));
            ppl.add(Feeds.scalar(out, CausalLmObjective.LOSS), fed.weight());
            for (String m : objective.metrics()) {
                sums.merge(m, Feeds.scalar(out, m) * fed.weight(), Double::sum);
            }
            units += fed.weight();
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Map.Entry<String, Double> e : sums.entrySet()) {
            metrics.put(e.getKey(), e.getValue() / units);
        }
        return new EvalResult(step, ppl.meanLoss(), objective.reportsPerplexity() ? ppl.perplexity() : Double.NaN,
                ppl.tokens(), (System.nanoTime() - start) / 1e9, metrics);
    }
}
