package io.ortune.export.quant;

import java.util.Arrays;
import java.util.Locale;

/** How an activation's clipping range is chosen from what calibration observed. */
public enum CalibrationMethod {
    /** The largest magnitude seen (symmetric) or the observed min and max (asymmetric). */
    MINMAX,
    /** The given percentile of the magnitudes seen (2048-bin histogram). */
    PERCENTILE,
    /** The threshold minimizing the KL divergence between the clipped 128-level and the 2048-bin distribution. */
    ENTROPY;

    /** The CLI spelling: {@code minmax}, {@code percentile}, {@code entropy}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses the CLI spelling, naming the accepted ones when it is unknown. */
    public static CalibrationMethod parse(String s) {
        for (CalibrationMethod m : values()) {
            if (m.cliName().equals(s)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown calibration method '" + s + "', expected one of "
                + Arrays.stream(values()).map(CalibrationMethod::cliName).toList());
    }
}
