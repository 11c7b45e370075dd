package io.ortune.training.autodiff;

import static org.assertj.core.api.Assertions.fail;

import java.util.Arrays;

/** Element-wise comparison with a {@link Tolerance}; a failure names the worst index, both values and the errors. */
final class Closeness {

    private Closeness() {
    }

    /**
     * Compares {@code actual[idx[k]]} with {@code expected[k]}; {@code idx} null means all indices, in order.
     */
    static void assertClose(String what, double[] actual, double[] expected, int[] idx, Tolerance tol) {
        int n = expected.length;
        int worst = -1;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        int bad = 0;
        for (int k = 0; k < n; k++) {
            double a = actual[idx == null ? k : idx[k]];
            double b = expected[k];
            double abs = Math.abs(a - b);
            double ratio = abs / (tol.atol() + tol.rtol() * Math.abs(b));
            if (Double.isNaN(a) != Double.isNaN(b) || Double.isNaN(ratio)) {
                ratio = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, abs / Math.max(Math.abs(b), 1e-300));
            if (ratio > 1) {
                bad++;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = k;
            }
        }
        if (bad > 0) {
            int at = idx == null ? worst : idx[worst];
            fail(what + ": " + bad + " of " + n + " elements out of tolerance (atol " + tol.atol() + ", rtol "
                    + tol.rtol() + ": " + tol.reason() + "); worst at flat index " + at + ": actual "
                    + actual[at] + ", expected " + expected[worst] + "; max abs error " + maxAbs
                    + ", max rel error " + maxRel + (n <= 16 ? "\n  actual   " + pick(actual, idx)
                    + "\n  expected " + Arrays.toString(expected) : ""));
        }
    }

    private static String pick(double[] actual, int[] idx) {
        if (idx == null) {
            return Arrays.toString(actual);
        }
        double[] out = new double[idx.length];
        for (int k = 0; k < idx.length; k++) {
            out[k] = actual[idx[k]];
        }
        return Arrays.toString(out);
    }

    /** max |a - b| / max |b| over the tensor: a relative error that ignores tiny entries. */
    static double relativeToMax(double[] actual, double[] expected) {
        double maxRef = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            maxRef = Math.max(maxRef, Math.abs(expected[i]));
            maxDiff = Math.max(maxDiff, Math.abs(actual[i] - expected[i]));
        }
        return maxRef == 0 ? maxDiff : maxDiff / maxRef;
    }
}
