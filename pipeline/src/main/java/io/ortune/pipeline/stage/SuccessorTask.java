package io.ortune.pipeline.stage;

import io.ortune.pipeline.config.TokenTask;
import io.ortune.training.data.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The {@code successor-map} token-id task ({@link TokenTask}): {@code tokens} distinct ids from
 * {@code [first-id, vocab)} put in a seeded random cycle; row {@code i} starts at a random id of the cycle and follows
 * it for {@code length} ids. Deterministic for a seed: the same settings give the same rows on every machine.
 */
final class SuccessorTask {

    private SuccessorTask() {
    }

    static List<Example> rows(TokenTask task, long vocab) {
        int n = task.tokensOr();
        int first = task.firstIdOr();
        if (first + n > vocab) {
            throw new IllegalArgumentException("train.task: " + n + " ids from " + first + " do not fit the model's "
                    + vocab + "-token vocabulary; lower tokens or first-id");
        }
        Random r = new Random(task.seedOr());
        List<Integer> pool = new ArrayList<>();
        for (int id = first; id < vocab; id++) {
            pool.add(id);
        }
        java.util.Collections.shuffle(pool, r);
        int[] cycle = pool.subList(0, n).stream().mapToInt(Integer::intValue).toArray();
        List<Example> out = new ArrayList<>();
        for (int i = 0; i < task.rowsOr(); i++) {
            int at = r.nextInt(n);
            int[] ids = new int[task.lengthOr()];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = cycle[(at + t) % n];
            }
            out.add(Example.causal(ids));
        }
        return out;
    }
}
