package io.ortune.training.autodiff;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A differentiated model: the forward graph with the backward graph appended (a copy; the input model is left as
 * it was), the loss value, one gradient value per trainable parameter (same shape as the parameter, named
 * {@code <param>_grad}), the trainable and frozen parameter names, and a report. Hand it to
 * {@code TrainingArtifacts} as {@code ArtifactRequest.of(model, loss, gradients, trainable, frozen)}.
 */
public record AutodiffResult(Model model, Value loss, Map<String, Value> gradients, List<String> trainable,
                             List<String> frozen, AutodiffReport report) {

    public AutodiffResult {
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
    }
}
