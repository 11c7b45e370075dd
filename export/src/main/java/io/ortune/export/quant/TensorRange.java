package io.ortune.export.quant;

/**
 * One activation's calibrated quantization.
 *
 * @param tensor    the activation's name in the float model
 * @param min       the smallest value calibration saw
 * @param max       the largest value calibration saw
 * @param threshold the clipping magnitude the method chose (≤ max |x|)
 * @param scale     the QuantizeLinear scale
 * @param zeroPoint the zero point (0 for symmetric int8)
 * @param dtype     {@code int8} (symmetric) or {@code uint8} (asymmetric)
 */
public record TensorRange(String tensor, double min, double max, double threshold, float scale, int zeroPoint,
                          String dtype) {

    public TensorRange {
        if (!(scale > 0) || !Float.isFinite(scale)) {
            throw new IllegalArgumentException("tensor '" + tensor + "': scale must be positive and finite, is "
                    + scale);
        }
        if (!dtype.equals("int8") && !dtype.equals("uint8")) {
            throw new IllegalArgumentException("tensor '" + tensor + "': dtype must be int8 or uint8, is " + dtype);
        }
        int lo = dtype.equals("int8") ? -128 : 0;
        if (zeroPoint < lo || zeroPoint > lo + 255) {
            throw new IllegalArgumentException("tensor '" + tensor + "': zero_point " + zeroPoint + " is outside "
                    + dtype);
        }
    }

    /** Symmetric int8, zero point 0: scale = threshold / 127. */
    static TensorRange symmetric(String tensor, double min, double max, double threshold) {
        double t = threshold > 0 ? threshold : 1e-8;
        return new TensorRange(tensor, min, max, threshold, (float) (t / 127.0), 0, "int8");
    }

    /** Asymmetric uint8 over {@code [max(min, -threshold), min(max, threshold)]}, widened to include 0. */
    static TensorRange asymmetric(String tensor, double min, double max, double threshold) {
        double lo = Math.min(0, Math.max(min, -threshold));
        double hi = Math.max(0, Math.min(max, threshold));
        double scale = (hi - lo) / 255.0;
        if (!(scale > 0)) {
            scale = 1e-8;
        }
        int zp = (int) Math.max(0, Math.min(255, Math.round(-lo / scale)));
        return new TensorRange(tensor, min, max, threshold, (float) scale, zp, "uint8");
    }
}
