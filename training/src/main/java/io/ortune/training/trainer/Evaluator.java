package io.ortune.training.trainer;

import io.ortune.runtime.TrainingSession;
import io.ortune.training.data.Batch;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.objective.Perplexity;

import java.util.List;

/** Runs the eval model over the held-out rows in fixed order; loss and perplexity are token-weighted. */
final class Evaluator {

    private final List<Example> rows;
    private final Collator collator;
    private final int batchSize;

    Evaluator(List<Example> rows, Collator collator, int batchSize) {
        this.rows = rows;
        this.collator = collator;
        this.batchSize = batchSize;
    }

    boolean isEmpty() {
        return rows.isEmpty();
    }

    EvalResult run(TrainingSession session, long step) {
        long start = System.nanoTime();
        Perplexity ppl = new Perplexity();
        for (int i = 0; i < rows.size(); i += batchSize) {
            Batch b = collator.collate(rows.subList(i, Math.min(rows.size(), i + batchSize)));
            double loss = Feeds.scalar(session.evalStep(Feeds.of(session.evalInputNames(), b, 1f)),
                    CausalLmObjective.LOSS);
            ppl.add(loss, b.labelledTargets());
        }
        return new EvalResult(step, ppl.meanLoss(), ppl.perplexity(), ppl.tokens(),
                (System.nanoTime() - start) / 1e9);
    }
}
