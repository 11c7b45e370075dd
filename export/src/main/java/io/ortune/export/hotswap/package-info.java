/**
 * Hot-swappable LoRA adapters for ONNX Runtime: {@link io.ortune.export.hotswap.HotSwapGraph} makes an inference
 * graph whose LoRA tensors are graph inputs with initializer defaults, {@link io.ortune.export.hotswap.HotSwapAdapters}
 * makes {@code .onnx_adapter} content named after those inputs, {@link io.ortune.export.hotswap.OnnxAdapterFile}
 * reads and writes the {@code TORT} flatbuffer, and {@link io.ortune.export.hotswap.HotSwapChecks} checks a file
 * against a graph before it is activated per run ({@code io.ortune.runtime.RunOptions}).
 */
package io.ortune.export.hotswap;
