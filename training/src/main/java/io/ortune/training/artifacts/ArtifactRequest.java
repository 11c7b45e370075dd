package io.ortune.training.artifacts;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What {@link TrainingArtifacts#build} needs: a model whose graph computes the loss and, for every trainable
 * parameter {@code p}, a value holding dLoss/dp (typically made by ortune's autodiff); which initializers are
 * trainable and which frozen; the optimizer; and properties to seed the checkpoint's property bag.
 *
 * <p>The model is not modified. Parameters are initializers named in {@code trainable} or {@code frozen};
 * every other initializer stays a constant. Parameters are ordered as the graph's initializers are.
 *
 * @param model      the forward + loss + gradient model
 * @param loss       the loss value (becomes the first output of the training and eval models)
 * @param gradients  trainable parameter name → its gradient value in {@code model}'s main graph
 * @param trainable  names of the trainable parameters
 * @param frozen     names of the frozen parameters (fed from the checkpoint, never updated)
 * @param optimizer  the optimizer the optimizer model implements
 * @param properties initial checkpoint properties
 */
public record ArtifactRequest(Model model, Value loss, Map<String, Value> gradients, List<String> trainable,
                              List<String> frozen, OptimizerConfig optimizer, PropertyBag properties) {

    public ArtifactRequest {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(loss, "loss");
        gradients = Collections.unmodifiableMap(new LinkedHashMap<>(gradients));
        trainable = List.copyOf(trainable);
        frozen = List.copyOf(frozen);
        optimizer = optimizer == null ? OptimizerConfig.AdamW.defaults() : optimizer;
        properties = properties == null ? PropertyBag.EMPTY : properties;
    }

    /** A request with AdamW defaults and no properties. */
    public static ArtifactRequest of(Model model, Value loss, Map<String, Value> gradients,
                                     Collection<String> trainable, Collection<String> frozen) {
        return new ArtifactRequest(model, loss, gradients, List.copyOf(trainable), List.copyOf(frozen), null, null);
    }

    public ArtifactRequest withOptimizer(OptimizerConfig newOptimizer) {
        return new ArtifactRequest(model, loss, gradients, trainable, frozen, newOptimizer, properties);
    }

    public ArtifactRequest withProperties(PropertyBag newProperties) {
        return new ArtifactRequest(model, loss, gradients, trainable, frozen, optimizer, newProperties);
    }
}
