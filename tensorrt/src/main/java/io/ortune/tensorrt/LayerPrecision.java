package io.ortune.tensorrt;

/**
 * One engine layer and the precision of its output, as TensorRT's engine inspector reports it.
 *
 * @param name      the layer name (TensorRT's, often a fused list of ONNX node names)
 * @param precision {@code FP32}, {@code FP16}, {@code BF16}, {@code INT8}, ... or {@code unknown}
 */
public record LayerPrecision(String name, String precision) { }
