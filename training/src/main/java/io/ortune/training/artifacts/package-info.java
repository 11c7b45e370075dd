/**
 * ONNX Runtime training artifacts, made without Python.
 *
 * <p>ONNX Runtime's training API ({@code OrtTrainingApis}) needs four files, which this package builds from an IR
 * model whose graph already computes a loss and the gradient of every trainable parameter:
 * <ul>
 *   <li>{@code training_model.onnx}: forward, loss and gradients; every parameter is a graph input, and each
 *       gradient is added into its accumulation buffer by an {@code InPlaceAccumulatorV2} node
 *       ({@link io.ortune.training.artifacts.TrainingArtifacts});</li>
 *   <li>{@code eval_model.onnx}: forward and loss only;</li>
 *   <li>{@code optimizer_model.onnx}: one {@code AdamWOptimizer} or {@code SGDOptimizerV2} node over tensor
 *       sequences ({@link io.ortune.training.artifacts.OptimizerModels});</li>
 *   <li>{@code checkpoint}: the flatbuffer holding parameters, optimizer state and a property bag
 *       ({@link io.ortune.training.artifacts.CheckpointWriter}, {@link io.ortune.training.artifacts.CheckpointReader}).</li>
 * </ul>
 * {@link io.ortune.training.artifacts.ArtifactSet#write} writes them, each atomically, with a JSON manifest.
 */
package io.ortune.training.artifacts;
