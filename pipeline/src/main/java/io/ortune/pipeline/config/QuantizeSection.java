package io.ortune.pipeline.config;

import java.util.List;

/**
 * {@code quantize:} post-training quantization of the merged model, with the quality delta measured.
 *
 * @param mode               {@code int8} (static QDQ with calibration), {@code dynamic} (int8 weights, dynamic
 *                           activations), {@code int4} (MatMulNBits), {@code nf4}
 * @param modes              several of those, each written and measured (instead of {@code mode})
 * @param calibrationSamples held-out rows used to calibrate activation ranges (int8; 64)
 * @param perChannel         per-channel weight scales (true)
 * @param blockSize          int4/nf4 block size (32 / 64)
 * @param exclude            node-name patterns kept in float
 * @param target             int8 Q/DQ placement: {@code tensorrt} (symmetric, zero point 0: what {@code compile:
 *                           precision: int8} needs; the default) or {@code ort} (ONNX Runtime CPU's preferences:
 *                           asymmetric uint8 activations, only MatMul/Gemm inputs)
 */
public record QuantizeSection(String mode, List<String> modes, Integer calibrationSamples, Boolean perChannel,
                              Integer blockSize, List<String> exclude,
                              String target) {

    /** The modes it knows. */
    public static final List<String> MODES = List.of("int8", "dynamic", "int4", "nf4");

    /** The int8 placements it knows. */
    public static final List<String> TARGETS = List.of("tensorrt", "ort");

    /** {@code target}, or {@code tensorrt} when not given. */
    public String targetOr() {
        return target == null ? "tensorrt" : target;
    }

    /** The requested modes, {@code mode} or {@code modes}. */
    public List<String> modesOr() {
        if (modes != null) {
            return modes;
        }
        return mode == null ? List.of() : List.of(mode);
    }
}
