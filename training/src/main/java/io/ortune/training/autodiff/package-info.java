/**
 * Reverse-mode automatic differentiation over ortune's ONNX IR.
 *
 * <p>{@link io.ortune.training.autodiff.Autodiff#differentiate} copies a forward model, walks the nodes between
 * the loss and the trainable parameters in reverse, and appends one small gradient rule per node
 * ({@link io.ortune.training.autodiff.GradientRule}, registered in {@link io.ortune.training.autodiff.GradientRules}).
 * Gradients that meet are summed; integer and bool paths and frozen parameters get nothing. Rules emit standard
 * ONNX ops, or ONNX Runtime's fused {@code com.microsoft} gradient kernels when
 * {@link io.ortune.training.autodiff.AutodiffOptions#useOrtGradientKernels()} is set. Per-layer activation
 * recomputation is {@link io.ortune.training.autodiff.AutodiffOptions#recomputeLayers()}.
 *
 * <p>The result feeds {@code io.ortune.training.artifacts.TrainingArtifacts}: the model, the loss value, and a
 * gradient value per trainable parameter named {@code <param>_grad}.
 */
package io.ortune.training.autodiff;
