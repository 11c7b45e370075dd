/**
 * The one place in ortune that talks to ONNX Runtime, through the raw JavaCPP binding of its C API
 * ({@code org.bytedeco.onnxruntime}).
 *
 * <p>Entry points: {@link io.ortune.runtime.OrtRuntime} (the process-wide environment),
 * {@link io.ortune.runtime.InferenceSession} (load a model, run it on IR {@link io.ortune.graph.ir.Tensor}s or on
 * {@link io.ortune.runtime.NativeTensor}s without copies), {@link io.ortune.runtime.SessionOptions}, and for training
 * {@link io.ortune.runtime.CheckpointState} and {@link io.ortune.runtime.TrainingSession}.
 *
 * <p>Native memory is released deterministically: every type that owns native memory is {@link AutoCloseable},
 * closing twice is harmless, and using a closed object throws {@link IllegalStateException}. Every ONNX Runtime status
 * is checked and turned into an {@link io.ortune.runtime.OrtException} naming ORT's error code, ORT's message and what
 * ortune was doing; a missing native library or execution provider is a
 * {@link io.ortune.runtime.RuntimeUnavailableException}.
 */
package io.ortune.runtime;
