package io.ortune.bench.harness;

import io.ortune.graph.inspect.ModelSummary;
import io.ortune.graph.ir.Model;

/**
 * A model's weights as the roofline needs them: the element count of its parameters (the parameter
 * count of {@code 2 · params · tokens}, embeddings included) and their bytes as stored (what one decode step reads;
 * int4/NF4 weights count their packed bytes).
 *
 * @param params       initializer elements
 * @param weightBytes  initializer bytes
 */
public record ModelWeights(long params, long weightBytes) {

    public ModelWeights {
        if (params < 0 || weightBytes < 0) {
            throw new IllegalArgumentException("params and weight bytes must be >= 0, are " + params + ", "
                    + weightBytes);
        }
    }

    /** {@code model}'s parameters as {@link ModelSummary} counts them (the one definition used everywhere). */
    public static ModelWeights of(Model model) {
        ModelSummary summary = ModelSummary.of(model);
        return new ModelWeights(summary.parameterCount(), summary.parameterBytes());
    }
}
