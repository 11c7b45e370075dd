package io.ortune.training.artifacts;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which parameters AdamW's weight decay applies to, by Hugging Face's rule: not to biases, not to LayerNorm or
 * RMSNorm weights (names containing {@code bias}, {@code norm} or {@code ln_}, case-insensitively), and not to
 * 1-D tensors.
 *
 * <p><b>Why a plan and not just an attribute.</b> ONNX Runtime's training API runs one optimizer node for all
 * trainable parameters (its optimizer wrapper accepts a single parameter group, {@code group0}), and
 * {@code AdamWOptimizer} has one {@code weight_decay} attribute; {@code generate_artifacts} likewise builds one
 * {@code AdamW} block with one decay (0 by default) for all parameters. A per-parameter exclusion therefore cannot
 * live in the optimizer model. {@link #plan} puts the decay in the node when every trainable parameter decays (or
 * none does); otherwise the node gets {@code weight_decay=0} and the trainer must apply the decoupled decay itself,
 * after each optimizer step, to the listed parameters only: {@code p *= (1 - lr * rate)}. That is exactly what
 * {@code adam_mode=1} does inside the node (decay after the Adam update, with the un-corrected learning rate), so
 * both routes give the same numbers.
 */
public final class WeightDecayPolicy {

    private WeightDecayPolicy() {
    }

    /** The name rule alone: false for biases and norm weights. */
    public static boolean decays(String paramName) {
        String n = paramName.toLowerCase(Locale.ROOT);
        return !(n.contains("bias") || n.contains("norm") || n.contains("ln_"));
    }

    /** The full rule: the name rule, and no decay for tensors of rank 0 or 1. */
    public static boolean decays(String paramName, long[] dims) {
        return dims.length > 1 && decays(paramName);
    }

    /**
     * Splits AdamW weight decay between the optimizer node and the trainer.
     *
     * @param weightDecay the configured decay
     * @param trainable   trainable parameter name → dims, in order
     */
    public static Plan plan(float weightDecay, Map<String, long[]> trainable) {
        List<String> decayed = new ArrayList<>();
        List<String> excluded = new ArrayList<>();
        for (Map.Entry<String, long[]> e : trainable.entrySet()) {
            (decays(e.getKey(), e.getValue()) ? decayed : excluded).add(e.getKey());
        }
        if (weightDecay == 0f || decayed.isEmpty()) {
            return new Plan(0f, 0f, List.of(), List.copyOf(trainable.keySet()));
        }
        if (excluded.isEmpty()) {
            return new Plan(weightDecay, 0f, List.of(), List.of());
        }
        return new Plan(0f, weightDecay, decayed, excluded);
    }

    /**
     * Where weight decay happens.
     *
     * @param nodeWeightDecay    the {@code weight_decay} attribute of the optimizer node (applies to all parameters)
     * @param trainerWeightDecay the rate the trainer applies after each optimizer step to {@code trainerDecayed}
     * @param trainerDecayed     parameters the trainer decays ({@code p *= 1 - lr * trainerWeightDecay})
     * @param undecayed          trainable parameters that get no decay at all
     */
    public record Plan(float nodeWeightDecay, float trainerWeightDecay, List<String> trainerDecayed,
                       List<String> undecayed) {
        public Plan {
            trainerDecayed = List.copyOf(trainerDecayed);
            undecayed = List.copyOf(undecayed);
        }

        /** True when the trainer has decay work to do after each optimizer step. */
        public boolean trainerApplies() {
            return trainerWeightDecay != 0f && !trainerDecayed.isEmpty();
        }
    }
}
