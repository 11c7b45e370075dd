package io.ortune.export.merge;

import java.util.SplittableRandom;

/**
 * An independent float64 restatement of PEFT's {@code merge_utils} for the tests, written from the definitions
 * (not from {@link TaskVectors}): tasks as rows t[i][e], weights w[i].
 */
final class ReferenceMergeUtils {

    private ReferenceMergeUtils() {
    }

    /** Keeps int(density·n) largest |x| by repeated arg-max selection (inputs without ties). */
    static double[] prune(double[] x, double density) {
        if (density >= 1) {
            return x.clone();
        }
        int k = (int) Math.floor(density * x.length);
        boolean[] taken = new boolean[x.length];
        for (int j = 0; j < k; j++) {
            int best = -1;
            for (int e = 0; e < x.length; e++) {
                if (!taken[e] && (best < 0 || Math.abs(x[e]) > Math.abs(x[best]))) {
                    best = e;
                }
            }
            taken[best] = true;
        }
        double[] out = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            out[e] = taken[e] ? x[e] : 0;
        }
        return out;
    }

    static double[] weightedSum(double[][] t, double[] w) {
        double[] out = new double[t[0].length];
        for (int e = 0; e < out.length; e++) {
            for (int i = 0; i < t.length; i++) {
                out[e] += w[i] * t[i][e];
            }
        }
        return out;
    }

    /** TIES's elect + disjoint mean over already pruned tasks; {@code frequency} votes by sign count. */
    static double[] electAndMean(double[][] t, double[] w, boolean frequency) {
        double[] out = new double[t[0].length];
        for (int e = 0; e < out.length; e++) {
            double vote = 0;
            for (double[] row : t) {
                vote += frequency ? Math.signum(row[e]) : row[e];
            }
            int sign = vote >= 0 ? 1 : -1;
            double sum = 0;
            int n = 0;
            for (int i = 0; i < t.length; i++) {
                if (t[i][e] != 0 && (t[i][e] > 0 ? 1 : -1) == sign) {
                    sum += w[i] * t[i][e];
                    n++;
                }
            }
            out[e] = n == 0 ? 0 : sum / n;
        }
        return out;
    }

    /** DARE's drop with the same draw order as the implementation's contract (one uniform per entry). */
    static double[] dare(double[] x, double density, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] out = new double[x.length];
        for (int e = 0; e < x.length; e++) {
            out[e] = rnd.nextDouble() < density ? x[e] / density : 0;
        }
        return out;
    }
}
