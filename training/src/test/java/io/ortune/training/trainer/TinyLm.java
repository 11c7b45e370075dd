package io.ortune.training.trainer;

import io.ortune.graph.ir.Model;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** A tiny random GPT-2 and random token rows, for trainer tests that must run in seconds. */
final class TinyLm {

    static final int VOCAB = 64;

    private TinyLm() {
    }

    static Model gpt2() {
        return ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":" + VOCAB
                + ",\"n_positions\":32,\"n_embd\":16,\"n_layer\":2,\"n_head\":2}", "tiny gpt2"), 7, Form.TRAINING);
    }

    /** {@code n} rows of {@code length} random ids with loss on every token. */
    static List<Example> rows(int n, int length, long seed) {
        Random r = new Random(seed);
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int[] ids = new int[length];
            for (int t = 0; t < length; t++) {
                ids[t] = r.nextInt(VOCAB);
            }
            rows.add(Example.causal(ids));
        }
        return rows;
    }

    static Collator collator() {
        return new Collator(0);
    }

    /** A plain configuration for tests: SGD, constant lr, no clipping, one thread, no shuffling. */
    static TrainerConfig.Builder sgd(double lr) {
        return TrainerConfig.builder().optimizer("sgd").lr(lr).schedule(LrSchedule.Kind.CONSTANT).warmupSteps(0)
                .maxGradNorm(0).threads(1).shuffle(false).keepCheckpoints(0);
    }
}
