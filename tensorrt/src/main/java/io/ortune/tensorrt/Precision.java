package io.ortune.tensorrt;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * The precision an engine is built for ({@code --precision}). {@link #INT8} means explicit quantization: the model
 * carries QuantizeLinear/DequantizeLinear pairs and the network is built strongly typed (TensorRT 11 has no other
 * INT8); {@link #FP16} and {@link #BF16} let TensorRT pick reduced-precision kernels in a weakly typed network.
 */
public enum Precision {
    FP32, FP16, BF16, INT8;

    /** The command-line spelling: {@code fp32}, {@code fp16}, {@code bf16}, {@code int8}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the command-line spelling (case-insensitive). */
    public static Precision parse(String text) {
        for (Precision p : values()) {
            if (p.cliName().equalsIgnoreCase(text == null ? "" : text.trim())) {
                return p;
            }
        }
        throw new IllegalArgumentException("--precision: '" + text + "' is not a precision; use one of "
                + Arrays.stream(values()).map(Precision::cliName).collect(Collectors.joining(", ")));
    }

    /** Whether the network must be created with {@code kSTRONGLY_TYPED} (types come from the ONNX file). */
    public boolean stronglyTyped() {
        return this == INT8;
    }
}
