package io.ortune.training.autodiff;

import java.util.Objects;

/**
 * How {@link Autodiff} builds the backward graph.
 *
 * @param useOrtGradientKernels use ONNX Runtime's fused {@code com.microsoft} gradient kernels (SoftmaxGrad_13,
 *                              LayerNormalizationGrad, GeluGrad, FusedMatMul, ...) where they exist; the model then
 *                              runs only in ONNX Runtime builds with training kernels. Off: standard ONNX ops only.
 * @param recomputeLayers       gradient checkpointing: the backward graph of each transformer layer
 *                              ({@code layers.N}/{@code h.N} in node names) reads recomputed copies of the layer's
 *                              activations instead of the stored ones; only the layer inputs stay alive
 * @param gradientsAsOutputs    make every gradient a graph output (and the loss, when it is not one yet)
 * @param zeroUnreachable       give a trainable parameter that does not affect the loss an all-zero gradient
 *                              instead of leaving it out (it is reported either way)
 * @param rules                 the gradient rules to use
 */
public record AutodiffOptions(boolean useOrtGradientKernels, boolean recomputeLayers, boolean gradientsAsOutputs,
                              boolean zeroUnreachable, GradientRules rules) {

    public AutodiffOptions {
        Objects.requireNonNull(rules, "rules");
    }

    /** Standard ONNX ops, no recomputation, gradients as outputs, unreachable parameters left out. */
    public static AutodiffOptions defaults() {
        return new AutodiffOptions(false, false, true, false, GradientRules.standard());
    }

    public AutodiffOptions withOrtGradientKernels(boolean on) {
        return new AutodiffOptions(on, recomputeLayers, gradientsAsOutputs, zeroUnreachable, rules);
    }

    public AutodiffOptions withRecomputeLayers(boolean on) {
        return new AutodiffOptions(useOrtGradientKernels, on, gradientsAsOutputs, zeroUnreachable, rules);
    }

    public AutodiffOptions withGradientsAsOutputs(boolean on) {
        return new AutodiffOptions(useOrtGradientKernels, recomputeLayers, on, zeroUnreachable, rules);
    }

    public AutodiffOptions withZeroUnreachable(boolean on) {
        return new AutodiffOptions(useOrtGradientKernels, recomputeLayers, gradientsAsOutputs, on, rules);
    }

    public AutodiffOptions withRules(GradientRules newRules) {
        return new AutodiffOptions(useOrtGradientKernels, recomputeLayers, gradientsAsOutputs, zeroUnreachable,
                newRules);
    }
}
