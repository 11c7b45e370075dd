package io.ortune.export.quant;

/**
 * A 2048-bin histogram of |x| over {@code [0, range]} and the thresholds the calibration methods choose from it.
 */
final class Histogram {

    static final int BINS = 2048;
    /** int8's positive levels: the entropy method compares against a 128-level quantization (TensorRT's). */
    private static final int LEVELS = 128;

    private final double range;
    private final long[] counts = new long[BINS];

    Histogram(double range) {
        this.range = range;
    }

    void add(float[] xs) {
        if (range <= 0) {
            counts[0] += xs.length;
            return;
        }
        for (float x : xs) {
            int bin = (int) (Math.abs(x) / range * BINS);
            counts[Math.min(bin, BINS - 1)]++;
        }
    }

    private double binWidth() {
        return range / BINS;
    }

    /** The upper edge of the first bin by which {@code percentile}% of the magnitudes are counted. */
    double percentile(double percentile) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        double need = total * percentile / 100.0;
        long seen = 0;
        for (int i = 0; i < BINS; i++) {
            seen += counts[i];
            if (seen >= need) {
                return (i + 1) * binWidth();
            }
        }
        return range;
    }

    /**
     * TensorRT's entropy calibration: for each candidate threshold bin {@code i ≥ 128}, the reference P is the
     * first {@code i} bins with everything beyond folded into the last; Q is the first {@code i} bins without the
     * fold, merged into 128 levels and spread back over the bins where P is non-zero (so clipping costs KL); the
     * threshold with the smallest KL(P‖Q) wins.
     */
    double entropyThreshold() {
        double best = Double.POSITIVE_INFINITY;
        int bestI = BINS;
        for (int i = LEVELS; i <= BINS; i++) {
            double kl = klAt(i);
            if (kl < best) {
                best = kl;
                bestI = i;
            }
        }
        return bestI * binWidth();
    }

    private double klAt(int i) {
        double[] p = new double[i];
        for (int j = 0; j < i; j++) {
            p[j] = counts[j];
        }
        for (int j = i; j < BINS; j++) {
            p[i - 1] += counts[j];
        }
        double[] q = new double[i];
        double perLevel = (double) i / LEVELS;
        for (int level = 0; level < LEVELS; level++) {
            int start = (int) Math.floor(level * perLevel);
            int end = level == LEVELS - 1 ? i : (int) Math.floor((level + 1) * perLevel);
            double sum = 0;
            int nonZero = 0;
            for (int j = start; j < end; j++) {
                sum += counts[j];
                if (p[j] != 0) {
                    nonZero++;
                }
            }
            for (int j = start; j < end; j++) {
                q[j] = p[j] == 0 ? 0 : sum / Math.max(nonZero, 1);
            }
        }
        return kl(p, q);
    }

    private static double kl(double[] p, double[] q) {
        double ps = 0;
        double qs = 0;
        for (int j = 0; j < p.length; j++) {
            ps += p[j];
            qs += q[j];
        }
        if (ps == 0 || qs == 0) {
            return Double.POSITIVE_INFINITY;
        }
        double d = 0;
        for (int j = 0; j < p.length; j++) {
            if (p[j] > 0) {
                double pj = p[j] / ps;
                double qj = q[j] / qs;
                d += qj > 0 ? pj * Math.log(pj / qj) : pj * Math.log(pj / 1e-12);
            }
        }
        return d;
    }
}
