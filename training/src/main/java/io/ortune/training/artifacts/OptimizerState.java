package io.ortune.training.artifacts;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.Tensor;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The optimizer state of one parameter group in a training checkpoint: the step count, the initial learning rate
 * and, per trainable parameter, named state tensors. For AdamW these are {@value #MOMENTUM0} (first moment) and
 * {@value #MOMENTUM1} (second moment); ONNX Runtime's SGD keeps a {@value #MOMENTUM0} it never changes (zeros).
 * ONNX Runtime's training API uses one group, {@value #GROUP0}, and when the group has no per-parameter states it
 * creates zero states itself.
 *
 * @param groupName           the group's name ({@value #GROUP0} for ONNX Runtime)
 * @param step                optimizer steps taken so far
 * @param initialLearningRate the learning rate the schedule started from
 * @param parameterStates     parameter name → (state name → tensor named like the state), in file order
 */
public record OptimizerState(String groupName, long step, float initialLearningRate,
                             Map<String, Map<String, Tensor>> parameterStates) {

    /** The only group name ONNX Runtime's training API reads. */
    public static final String GROUP0 = "group0";
    /** AdamW's first moment (exponential average of gradients). */
    public static final String MOMENTUM0 = "momentum0";
    /** AdamW's second moment (exponential average of squared gradients). */
    public static final String MOMENTUM1 = "momentum1";

    public OptimizerState {
        Objects.requireNonNull(groupName, "groupName");
        if (step < 0) {
            throw new IllegalArgumentException("optimizer step must be >= 0, got " + step);
        }
        LinkedHashMap<String, Map<String, Tensor>> copy = new LinkedHashMap<>();
        for (Map.Entry<String, Map<String, Tensor>> e : parameterStates.entrySet()) {
            LinkedHashMap<String, Tensor> states = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> s : e.getValue().entrySet()) {
                Tensor t = Objects.requireNonNull(s.getValue(), "state '" + s.getKey() + "' of '" + e.getKey() + "'");
                states.put(s.getKey(), t.name().equals(s.getKey()) ? t : t.withName(s.getKey()));
            }
            copy.put(e.getKey(), Collections.unmodifiableMap(states));
        }
        parameterStates = Collections.unmodifiableMap(copy);
    }

    /** AdamW state in group {@value #GROUP0}: first and second moments by parameter name (same keys). */
    public static OptimizerState adamw(long step, float initialLearningRate, Map<String, Tensor> firstMoments,
                                       Map<String, Tensor> secondMoments) {
        if (!firstMoments.keySet().equals(secondMoments.keySet())) {
            throw new IllegalArgumentException("first and second moments name different parameters: "
                    + firstMoments.keySet() + " vs " + secondMoments.keySet());
        }
        LinkedHashMap<String, Map<String, Tensor>> states = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : firstMoments.entrySet()) {
            LinkedHashMap<String, Tensor> s = new LinkedHashMap<>();
            s.put(MOMENTUM0, e.getValue());
            s.put(MOMENTUM1, secondMoments.get(e.getKey()));
            states.put(e.getKey(), s);
        }
        return new OptimizerState(GROUP0, step, initialLearningRate, states);
    }

    /** AdamW state with zero moments shaped like {@code params} (each under 2 GiB). */
    public static OptimizerState adamwZeros(List<Tensor> params, long step, float initialLearningRate) {
        LinkedHashMap<String, Tensor> m0 = new LinkedHashMap<>();
        LinkedHashMap<String, Tensor> m1 = new LinkedHashMap<>();
        for (Tensor p : params) {
            m0.put(p.name(), zerosLike(p, MOMENTUM0));
            m1.put(p.name(), zerosLike(p, MOMENTUM1));
        }
        return adamw(step, initialLearningRate, m0, m1);
    }

    /** State with no per-parameter tensors: ONNX Runtime starts from zero moments, at this step and rate. */
    public static OptimizerState stateless(long step, float initialLearningRate) {
        return new OptimizerState(GROUP0, step, initialLearningRate, Map.of());
    }

    /** The state tensor {@code stateName} of {@code param}, or null. */
    public Tensor state(String param, String stateName) {
        Map<String, Tensor> s = parameterStates.get(param);
        return s == null ? null : s.get(stateName);
    }

    /** Every state tensor, parameter by parameter. */
    public List<Tensor> allTensors() {
        List<Tensor> out = new ArrayList<>();
        for (Map<String, Tensor> s : parameterStates.values()) {
            out.addAll(s.values());
        }
        return out;
    }

    public OptimizerState withStep(long newStep) {
        return new OptimizerState(groupName, newStep, initialLearningRate, parameterStates);
    }

    private static Tensor zerosLike(Tensor p, String name) {
        ByteBuffer zeros = ByteBuffer.allocate(Math.toIntExact(p.byteSize()));
        return new Tensor(name, p.dtype(), p.dims(), new BufferData(zeros));
    }
}
