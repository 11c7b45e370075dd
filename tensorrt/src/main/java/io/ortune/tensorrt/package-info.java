/**
 * TensorRT engine building ({@code ortune compile}): {@link io.ortune.tensorrt.Preflight} checks the model,
 * {@link io.ortune.tensorrt.ProfileSpec} profiles and {@link io.ortune.tensorrt.QdqCheck} int8 readiness without a
 * device; {@link io.ortune.tensorrt.GpuProbe} finds the GPU lazily; the builder calls go through the JavaCPP
 * TensorRT presets; {@link io.ortune.tensorrt.EngineManifest} records what was built. Entry point:
 * {@link io.ortune.tensorrt.TensorRtCompiler#compile}. This package never uses ONNX Runtime.
 */
package io.ortune.tensorrt;
