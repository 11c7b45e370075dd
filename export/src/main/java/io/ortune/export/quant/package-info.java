/**
 * int8 and int4 quantization of float ONNX models with measured quality.
 *
 * <p>{@link io.ortune.export.quant.Quantizer} is the entry point: static int8 QDQ (a {@link
 * io.ortune.export.quant.Calibrator} measures activation ranges and produces an inspectable {@link
 * io.ortune.export.quant.CalibrationPlan}; {@link io.ortune.export.quant.QdqPass} applies it), dynamic int8
 * ({@code DynamicQuantizeMatMul}) and int4 weight-only ({@code MatMulNBits}). {@link
 * io.ortune.export.quant.QuantQuality} measures a quantized model against its float original on given data.
 */
package io.ortune.export.quant;
