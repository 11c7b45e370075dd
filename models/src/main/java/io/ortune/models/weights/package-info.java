/**
 * Weight loaders: safetensors files and sharded checkpoints ({@link io.ortune.models.weights.SafetensorsFile},
 * {@link io.ortune.models.weights.ShardedSafetensors}), the safetensors writer, and llama2.c checkpoints
 * ({@link io.ortune.models.weights.Llama2cCheckpoint}). Every source implements
 * {@link io.ortune.models.weights.Weights}: named IR tensors whose bytes stay on disk until read.
 */
package io.ortune.models.weights;
