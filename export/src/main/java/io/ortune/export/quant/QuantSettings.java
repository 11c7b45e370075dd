package io.ortune.export.quant;

import java.util.List;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * What to quantize and how.
 *
 * @param mode          static int8 QDQ, dynamic int8 or int4 weight-only
 * @param method        calibration method (static int8 only)
 * @param percentile    the percentile of |x| kept by {@link CalibrationMethod#PERCENTILE}, in (0, 100]
 * @param samples       at most this many calibration rows are run (static int8 only)
 * @param target        placement rules (static int8 only)
 * @param exclude       regular expressions; a linear layer whose module path or node name contains a match, or an
 *                      activation whose consumer's node name does, stays float
 * @param blockSize     int4 block size along K: a power of two ≥ 16
 * @param zeroPoints    int4: asymmetric blocks with a zero point each (otherwise symmetric, ORT's default 8)
 * @param accuracyLevel int4: {@code MatMulNBits} {@code accuracy_level} (0 unset, 1 fp32, 2 fp16, 3 bf16, 4 int8)
 */
public record QuantSettings(QuantMode mode, CalibrationMethod method, double percentile, int samples,
                            QuantTarget target, List<String> exclude, int blockSize, boolean zeroPoints,
                            int accuracyLevel) {

    /** int4's default block size (the {@code --nf4} default, 64, belongs to QLoRA). */
    public static final int DEFAULT_INT4_BLOCK = 32;

    public QuantSettings {
        exclude = List.copyOf(exclude);
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("--percentile must be in (0, 100], is " + percentile);
        }
        if (samples < 1) {
            throw new IllegalArgumentException("--samples must be at least 1, is " + samples);
        }
        if (blockSize < 16 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("--block-size must be a power of two ≥ 16 (MatMulNBits), is "
                    + blockSize);
        }
        if (accuracyLevel < 0 || accuracyLevel > 4) {
            throw new IllegalArgumentException("--accuracy-level must be 0 to 4, is " + accuracyLevel);
        }
        for (String p : exclude) {
            try {
                Pattern.compile(p);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException("--exclude '" + p + "' is not a regular expression: "
                        + e.getDescription());
            }
        }
    }

    /** Static int8 QDQ for TensorRT, minmax calibration on up to 128 rows. */
    public static QuantSettings int8() {
        return new QuantSettings(QuantMode.INT8_STATIC, CalibrationMethod.MINMAX, 99.99, 128, QuantTarget.TENSORRT,
                List.of(), DEFAULT_INT4_BLOCK, false, 0);
    }

    /** Dynamic int8 for ONNX Runtime CPU. */
    public static QuantSettings dynamic() {
        return int8().withMode(QuantMode.INT8_DYNAMIC).withTarget(QuantTarget.ORT);
    }

    /** int4 weight-only, symmetric blocks of {@code blockSize}. */
    public static QuantSettings int4(int blockSize) {
        return int8().withMode(QuantMode.INT4_WEIGHTS).withTarget(QuantTarget.ORT).withBlockSize(blockSize);
    }

    public QuantSettings withMode(QuantMode m) {
        return new QuantSettings(m, method, percentile, samples, target, exclude, blockSize, zeroPoints,
                accuracyLevel);
    }

    public QuantSettings withMethod(CalibrationMethod m) {
        return new QuantSettings(mode, m, percentile, samples, target, exclude, blockSize, zeroPoints, accuracyLevel);
    }

    public QuantSettings withPercentile(double p) {
        return new QuantSettings(mode, method, p, samples, target, exclude, blockSize, zeroPoints, accuracyLevel);
    }

    public QuantSettings withSamples(int n) {
        return new QuantSettings(mode, method, percentile, n, target, exclude, blockSize, zeroPoints, accuracyLevel);
    }

    public QuantSettings withTarget(QuantTarget t) {
        return new QuantSettings(mode, method, percentile, samples, t, exclude, blockSize, zeroPoints, accuracyLevel);
    }

    public QuantSettings withExclude(List<String> patterns) {
        return new QuantSettings(mode, method, percentile, samples, target, patterns, blockSize, zeroPoints,
                accuracyLevel);
    }

    public QuantSettings withBlockSize(int b) {
        return new QuantSettings(mode, method, percentile, samples, target, exclude, b, zeroPoints, accuracyLevel);
    }

    public QuantSettings withZeroPoints(boolean z) {
        return new QuantSettings(mode, method, percentile, samples, target, exclude, blockSize, z, accuracyLevel);
    }

    public QuantSettings withAccuracyLevel(int level) {
        return new QuantSettings(mode, method, percentile, samples, target, exclude, blockSize, zeroPoints, level);
    }

    /** True when {@code name} matches one of the exclusion patterns. */
    boolean excluded(String name) {
        return name != null && exclude.stream().anyMatch(p -> Pattern.compile(p).matcher(name).find());
    }
}
