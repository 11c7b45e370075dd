/**
 * Building blocks the architectures share, each a few standard ONNX ops written the way the paper writes them:
 * {@link io.ortune.models.arch.nn.Linear} (PyTorch Linear and Hugging Face Conv1D),
 * {@link io.ortune.models.arch.nn.Activations}, {@link io.ortune.models.arch.nn.Attention} (scaled dot product,
 * head split/merge, grouped key/value heads), {@link io.ortune.models.arch.nn.AttentionMask} (causal, padding and
 * sliding-window masks as one additive bias), {@link io.ortune.models.arch.nn.DecoderIo} (the training and
 * KV-cache interfaces of a decoder) and {@link io.ortune.models.arch.nn.Params} (weights as initializers).
 */
package io.ortune.models.arch.nn;
