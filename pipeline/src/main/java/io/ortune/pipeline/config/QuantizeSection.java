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
 */
public record QuantizeSection(String mode, List<String> modes, Integer calibrationSamples, Boolean perChannel,
                              Integer blockSize, List<String> exclude) {

    /** The modes it knows. */
    public static final List<String> MODES = List.of("int8", "dynamic", "int4", "nf4");

    /** The requested modes, {@code mode} or {@code modes}. */
    public List<String> modesOr() {
        if (modes != null) {
            return modes;
        }
        return mode == null ? List.of() : List.of(mode);
    }
}
