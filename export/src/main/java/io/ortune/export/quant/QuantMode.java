package io.ortune.export.quant;

/** What {@link Quantizer} makes of a float model. */
public enum QuantMode {
    /** int8 QDQ: per-channel symmetric int8 weights, per-tensor activations calibrated on data. */
    INT8_STATIC,
    /** int8 weights, activations quantized at run time ({@code com.microsoft DynamicQuantizeMatMul}). */
    INT8_DYNAMIC,
    /** int4 weight-only, blockwise round-to-nearest ({@code com.microsoft MatMulNBits}). */
    INT4_WEIGHTS
}
