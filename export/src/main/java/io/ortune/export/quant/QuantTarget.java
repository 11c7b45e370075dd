package io.ortune.export.quant;

import java.util.Locale;

/** Whose placement rules the QDQ nodes follow. */
public enum QuantTarget {
    /**
     * TensorRT explicit quantization: symmetric int8 (zero point 0) everywhere; Q/DQ on every input of every
     * MatMul/Gemm (weights per channel, activations per tensor, including attention's activation × activation
     * products) and on the residual input of skip-connection Adds; norms and softmax stay float.
     */
    TENSORRT,
    /**
     * ONNX Runtime CPU: per-channel symmetric int8 weights, asymmetric uint8 activations (ORT's U8S8 form), and
     * only the activation inputs of MatMul/Gemm with constant weights (what ORT fuses into integer kernels).
     */
    ORT;

    /** The CLI spelling: {@code tensorrt}, {@code ort}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the CLI spelling. */
    public static QuantTarget parse(String s) {
        for (QuantTarget t : values()) {
            if (t.cliName().equals(s)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown target '" + s + "', expected tensorrt or ort");
    }
}
