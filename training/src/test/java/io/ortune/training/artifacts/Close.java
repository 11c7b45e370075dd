package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.fail;

/** Elementwise closeness, {@code |a - b| <= atol + rtol * |b|}, reporting the worst element on failure. */
final class Close {

    private Close() {
    }

    static void assertAllClose(String what, float[] expected, float[] actual, double atol, double rtol) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " elements, got " + actual.length);
        }
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        double maxRel = 0;
        for (int i = 0; i < expected.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            double allowed = atol + rtol * Math.abs(expected[i]);
            maxAbs = Math.max(maxAbs, diff);
            if (expected[i] != 0) {
                maxRel = Math.max(maxRel, diff / Math.abs(expected[i]));
            }
            if (!(diff <= allowed) && (worst < 0 || diff - allowed > worstExcess)) {
                worst = i;
                worstExcess = diff - allowed;
            }
        }
        if (worst >= 0) {
            fail(String.format("%s: element %d is %s, expected %s (atol %g, rtol %g); largest abs error %g, "
                    + "largest rel error %g", what, worst, actual[worst], expected[worst], atol, rtol, maxAbs, maxRel));
        }
    }
}
