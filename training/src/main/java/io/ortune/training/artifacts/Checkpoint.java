package io.ortune.training.artifacts;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * The contents of an ONNX Runtime training checkpoint: trainable parameters, frozen parameters (any element type,
 * for example uint8 NF4 codes), optionally the optimizer state, and a property bag. Tensor names are the graph
 * input names of the training model. Immutable; the lists and maps are unmodifiable copies.
 *
 * @param trainableParams parameters that receive gradients ({@code requires_grad_params})
 * @param frozenParams    parameters fed to the model but never updated ({@code frozen_params})
 * @param optimizerState  optimizer state; empty makes ONNX Runtime start from zero moments and step 0
 * @param properties      user properties (ortune keeps its trainer state here)
 */
public record Checkpoint(List<Tensor> trainableParams, List<Tensor> frozenParams,
                         Optional<OptimizerState> optimizerState, PropertyBag properties) {

    public Checkpoint {
        trainableParams = List.copyOf(trainableParams);
        frozenParams = List.copyOf(frozenParams);
        optimizerState = Objects.requireNonNull(optimizerState, "optimizerState (use Optional.empty())");
        properties = properties == null ? PropertyBag.EMPTY : properties;
        validate(trainableParams, frozenParams, optimizerState);
    }

    /** Parameters only: no optimizer state, no properties. */
    public static Checkpoint of(List<Tensor> trainableParams, List<Tensor> frozenParams) {
        return new Checkpoint(trainableParams, frozenParams, Optional.empty(), PropertyBag.EMPTY);
    }

    public Checkpoint withOptimizerState(OptimizerState state) {
        return new Checkpoint(trainableParams, frozenParams, Optional.ofNullable(state), properties);
    }

    public Checkpoint withProperties(PropertyBag newProperties) {
        return new Checkpoint(trainableParams, frozenParams, optimizerState, newProperties);
    }

    /** The parameter (trainable or frozen) named {@code name}. */
    public Optional<Tensor> param(String name) {
        for (Tensor t : trainableParams) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        for (Tensor t : frozenParams) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** Every tensor the checkpoint stores: trainable, frozen, then optimizer state. */
    public List<Tensor> allTensors() {
        List<Tensor> all = new ArrayList<>(trainableParams);
        all.addAll(frozenParams);
        optimizerState.ifPresent(s -> all.addAll(s.allTensors()));
        return all;
    }

    private static void validate(List<Tensor> trainable, List<Tensor> frozen, Optional<OptimizerState> opt) {
        Set<String> names = new HashSet<>();
        Set<String> trainableNames = new HashSet<>();
        for (Tensor t : trainable) {
            checkParam(t, names);
            trainableNames.add(t.name());
        }
        for (Tensor t : frozen) {
            checkParam(t, names);
        }
        if (opt.isEmpty()) {
            return;
        }
        Map<String, Map<String, Tensor>> states = opt.get().parameterStates();
        for (String p : states.keySet()) {
            if (!trainableNames.contains(p)) {
                throw new IllegalArgumentException("optimizer state for '" + p + "', which is not a trainable "
                        + "parameter of the checkpoint");
            }
        }
        if (!states.isEmpty() && !states.keySet().containsAll(trainableNames)) {
            Set<String> missing = new HashSet<>(trainableNames);
            missing.removeAll(states.keySet());
            throw new IllegalArgumentException("optimizer state is missing for trainable parameters " + missing
                    + " (ONNX Runtime requires state for every trainable parameter, or none)");
        }
    }

    private static void checkParam(Tensor t, Set<String> names) {
        if (t.dtype() == DataType.STRING || t.dtype() == DataType.UNDEFINED) {
            throw new IllegalArgumentException("parameter '" + t.name() + "' is " + t.dtype().onnxName()
                    + "; a checkpoint holds numeric tensors only");
        }
        if (!names.add(t.name())) {
            throw new IllegalArgumentException("parameter '" + t.name() + "' appears twice in the checkpoint");
        }
    }
}
