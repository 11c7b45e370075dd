package io.ortune.training.trainer;

import io.ortune.graph.ir.Model;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.objective.Objective;
import io.ortune.training.objective.Objectives;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What the {@link Trainer} trains.
 *
 * @param forward   the training-form model training starts from (also the template of the exported model)
 * @param trainRows training rows (packed or one example each)
 * @param evalRows  held-out rows (may be empty: no evaluation)
 * @param collator  pads rows into batches
 * @param runDir    the run folder
 * @param config    settings
 * @param resume    continue the run in {@code runDir} from its latest checkpoint
 * @param objective what is optimised ({@link Objectives#causalLm()} unless given)
 */
public record TrainRequest(Model forward, List<Example> trainRows, List<Example> evalRows, Collator collator,
                           Path runDir, TrainerConfig config, boolean resume, Objective objective) {

    /** A causal-LM run. */
    public TrainRequest(Model forward, List<Example> trainRows, List<Example> evalRows, Collator collator,
                        Path runDir, TrainerConfig config, boolean resume) {
        this(forward, trainRows, evalRows, collator, runDir, config, resume, Objectives.causalLm());
    }

    public TrainRequest {
        Objects.requireNonNull(forward, "forward");
        Objects.requireNonNull(collator, "collator");
        Objects.requireNonNull(runDir, "runDir");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(objective, "objective");
        trainRows = List.copyOf(trainRows);
        evalRows = List.copyOf(evalRows);
        if (trainRows.isEmpty()) {
            throw new IllegalArgumentException("the training set is empty: nothing to train on");
        }
    }
}
