package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.runtime.OrtRuntime;

import java.util.Locale;

import org.junit.jupiter.api.Assumptions;

/** Shared test checks: ONNX Runtime availability and tolerance comparison with a useful failure message. */
final class Checks {

    private Checks() {
    }

    static void assumeTraining() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
        Assumptions.assumeTrue(OrtRuntime.get().isTrainingAvailable(), "the loaded ONNX Runtime has no training API");
    }

    /** {@code |a - b| ≤ atol + rtol·|b|} everywhere; a failure names the worst index and both values. */
    static void assertClose(String what, float[] actual, float[] expected, double atol, double rtol) {
        assertThat(actual.length).as("length of " + what).isEqualTo(expected.length);
        int worst = -1;
        double worstExcess = 0;
        double maxAbs = 0;
        for (int i = 0; i < actual.length; i++) {
            double diff = Math.abs((double) actual[i] - expected[i]);
            maxAbs = Math.max(maxAbs, diff);
            double excess = diff - (atol + rtol * Math.abs(expected[i]));
            if (excess > worstExcess || Double.isNaN(diff)) {
                worstExcess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(String.format(Locale.ROOT, "%s: at index %d got %s, expected %s "
                    + "(tolerance %.1g + %.1g·|expected|; largest absolute error %.3g)", what, worst, actual[worst],
                    expected[worst], atol, rtol, maxAbs));
        }
    }
}
