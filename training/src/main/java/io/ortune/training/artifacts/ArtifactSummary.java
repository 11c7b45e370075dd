package io.ortune.training.artifacts;

import java.util.List;

/**
 * What an artifact set contains, for manifests and for the trainer.
 *
 * @param lossName           name of the loss, the first output of the training and eval models
 * @param userInputs         graph inputs the caller feeds (everything that is neither a parameter, a gradient
 *                           buffer nor {@code lazy_reset_grad})
 * @param trainable          trainable parameter names, in checkpoint order
 * @param frozen             frozen parameter names, in checkpoint order
 * @param trainableElements  total elements of the trainable parameters
 * @param frozenElements     total elements of the frozen parameters
 * @param optimizer          the optimizer configuration the optimizer model implements
 * @param weightDecay        where AdamW weight decay happens (all zero for SGD); when
 *                           {@link WeightDecayPolicy.Plan#trainerApplies()} the trainer must decay the listed
 *                           parameters itself after each optimizer step
 * @param notes              what the rewrites did, one line each
 */
public record ArtifactSummary(String lossName, List<String> userInputs, List<String> trainable, List<String> frozen,
                              long trainableElements, long frozenElements, OptimizerConfig optimizer,
                              WeightDecayPolicy.Plan weightDecay, List<String> notes) {

    public ArtifactSummary {
        userInputs = List.copyOf(userInputs);
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
        notes = List.copyOf(notes);
    }
}
