package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.ortune.graph.ir.Tensor;

/** Comparisons for the PEFT tests: bit-exact tensors, and {@code |a−b| ≤ atol + rtol·|b|} with a reason. */
final class MethodClose {

    private MethodClose() {
    }

    /** Same shape, dtype and bits (float {@code -0} and {@code 0} count as different: nothing may change). */
    static void bitExact(String what, Tensor actual, Tensor expected) {
        assertThat(actual.dims()).as("%s: shape", what).containsExactly(expected.dims());
        assertThat(actual.dtype()).as("%s: dtype", what).isEqualTo(expected.dtype());
        float[] a = actual.toFloats();
        float[] b = expected.toFloats();
        for (int i = 0; i < b.length; i++) {
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(b[i])) {
                fail(what + ": not bit-exact at flat index " + i + ": " + a[i] + " vs " + b[i]);
            }
        }
    }

    /** Element-wise tolerance check; a failure names the worst index, both values, max abs and rel errors. */
    static void assertClose(String what, double[] actual, double[] expected, double atol, double rtol,
                            String reason) {
        assertThat(actual).as("%s: length", what).hasSize(expected.length);
        int worst = -1;
        double worstRatio = -1;
        double maxAbs = 0;
        double maxRel = 0;
        int bad = 0;
        for (int i = 0; i < expected.length; i++) {
            double abs = Math.abs(actual[i] - expected[i]);
            double ratio = abs / (atol + rtol * Math.abs(expected[i]));
            if (Double.isNaN(ratio)) {
                ratio = Double.POSITIVE_INFINITY;
            }
            maxAbs = Math.max(maxAbs, abs);
            maxRel = Math.max(maxRel, abs / Math.max(Math.abs(expected[i]), 1e-300));
            if (ratio > 1) {
                bad++;
            }
            if (ratio > worstRatio) {
                worstRatio = ratio;
                worst = i;
            }
        }
        if (bad > 0) {
            fail(what + ": " + bad + " of " + expected.length + " elements out of tolerance (atol " + atol + ", rtol "
                    + rtol + ": " + reason + "); worst at " + worst + ": actual " + actual[worst] + ", expected "
                    + expected[worst] + "; max abs error " + maxAbs + ", max rel error " + maxRel);
        }
    }

    static void assertClose(String what, Tensor actual, Tensor expected, double atol, double rtol, String reason) {
        assertThat(actual.dims()).as("%s: shape", what).containsExactly(expected.dims());
        assertClose(what, MethodOrt.values(actual), MethodOrt.values(expected), atol, rtol, reason);
    }
}
