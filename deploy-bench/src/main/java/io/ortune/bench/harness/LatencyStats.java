package io.ortune.bench.harness;

import java.util.Arrays;

/**
 * Summary of timed runs, in milliseconds (or any one unit).
 *
 * <p>Percentiles are <b>nearest-rank</b>: with the {@code n} samples sorted ascending, the p-th percentile is the
 * sample at 1-based rank {@code ceil(p/100 · n)}, so it is always a measured value and at least p % of the samples
 * are at or below it (p50 of 1..100 is 50, p99 is 99; p99 of 10 runs is the slowest run). {@code stddev} is the
 * sample standard deviation (divisor n − 1) and {@code cv} the coefficient of variation {@code stddev / mean}.
 *
 * @param n      samples
 * @param min    fastest
 * @param mean   arithmetic mean
 * @param p50    median (nearest rank)
 * @param p90    90th percentile
 * @param p95    95th percentile
 * @param p99    99th percentile
 * @param max    slowest
 * @param stddev sample standard deviation
 * @param cv     coefficient of variation (0 for a single sample)
 */
public record LatencyStats(int n, double min, double mean, double p50, double p90, double p95, double p99, double max,
                           double stddev, double cv) {

    /** Coefficient of variation above which a result is flagged as unstable (trtexec's 2.5 %). */
    public static final double CV_WARNING = 0.025;

    /** The statistics of {@code samples} (at least one, all finite). */
    public static LatencyStats of(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples to summarize");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        if (!Double.isFinite(s[0]) || !Double.isFinite(s[s.length - 1])) {
            throw new IllegalArgumentException("samples must be finite, got " + Arrays.toString(samples));
        }
        int n = s.length;
        double sum = 0;
        for (double x : s) {
            sum += x;
        }
        double mean = sum / n;
        double sq = 0;
        for (double x : s) {
            sq += (x - mean) * (x - mean);
        }
        double sd = n > 1 ? Math.sqrt(sq / (n - 1)) : 0;
        return new LatencyStats(n, s[0], mean, rank(s, 50), rank(s, 90), rank(s, 95), rank(s, 99), s[n - 1], sd,
                mean == 0 ? 0 : sd / mean);
    }

    /**
     * The classic median (the mean of the middle two of an even count), which {@code bench-generate} and
     * {@code bench-train} report; the harness's {@link #p50} is the nearest-rank one.
     */
    public static double median(double[] samples) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples to summarize");
        }
        double[] a = samples.clone();
        Arrays.sort(a);
        int n = a.length;
        return n % 2 == 1 ? a[n / 2] : (a[n / 2 - 1] + a[n / 2]) / 2;
    }

    /** The nearest-rank {@code p}-th percentile of ascending {@code sorted}. */
    static double rank(double[] sorted, double p) {
        int r = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(1, Math.min(sorted.length, r)) - 1];
    }

    /** True when the coefficient of variation is above {@link #CV_WARNING}. */
    public boolean unstable() {
        return cv > CV_WARNING;
    }
}
