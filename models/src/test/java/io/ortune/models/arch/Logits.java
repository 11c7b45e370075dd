package io.ortune.models.arch;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

/**
 * Comparing float outputs the house way: shape, then dtype, then values with {@code |a−b| ≤ atol + rtol·|b|},
 * a failure naming the worst index, both values and the largest absolute and relative errors.
 */
final class Logits {

    /**
     * A tolerance and why it is what it is.
     *
     * @param atol   absolute part
     * @param rtol   relative part
     * @param reason why
     */
    record Tolerance(double atol, double rtol, String reason) { }

    /** The golden fixtures' stated tolerance: fp32 implementations match the fp64 reference within 1e-4. */
    static final Tolerance GOLDEN = new Tolerance(1e-4, 0, "fixture READMEs: fp32 run vs fp64 reference");
    /** Two fp32 graphs computing the same logits with different reduction orders (cache vs whole sequence). */
    static final Tolerance SAME_MATH = new Tolerance(1e-4, 0, "brief: KV-cache graph vs training graph");

    /** Largest absolute error found by the last {@link #assertClose} (for reporting). */
    record Result(double maxAbs, double maxRel, long compared) { }

    private Logits() {
    }

    /**
     * Asserts {@code actual} ≈ {@code expected} where {@code include} (row-major over all but the last dim) is true;
     * include may be null (compare all).
     */
    static Result assertClose(String what, Tensor actual, long[] expectedDims, float[] expected, boolean[] include,
                              Tolerance tol) {
        assertThat(actual.dims()).as(what + ": shape").containsExactly(expectedDims);
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(DataType.FLOAT);
        return assertClose(what, actual.toFloats(), expected, (int) expectedDims[expectedDims.length - 1], include,
                tol);
    }

    static Result assertClose(String what, float[] a, float[] e, int rowLength, boolean[] include, Tolerance tol) {
        assertThat(a.length).as(what + ": element count").isEqualTo(e.length);
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        double worstExcess = 0;
        long n = 0;
        for (int i = 0; i < a.length; i++) {
            if (include != null && !include[i / rowLength]) {
                continue;
            }
            n++;
            double d = Math.abs((double) a[i] - e[i]);
            maxAbs = Math.max(maxAbs, d);
            maxRel = Math.max(maxRel, d / Math.max(Math.abs(e[i]), 1e-30));
            double excess = d - (tol.atol() + tol.rtol() * Math.abs(e[i]));
            if (Double.isNaN(d) || excess > worstExcess) {
                worstExcess = Double.isNaN(d) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": not within atol " + tol.atol() + " + rtol " + tol.rtol() + " ("
                    + tol.reason() + "); worst at flat index " + worst + " (row " + worst / rowLength + ", col "
                    + worst % rowLength + "): actual " + a[worst] + ", expected " + e[worst] + "; max abs error "
                    + maxAbs + ", max rel error " + maxRel + " over " + n + " compared values");
        }
        assertThat(n).as(what + ": compared values").isPositive();
        return new Result(maxAbs, maxRel, n);
    }

    /** Row-major [batch, seq] flags from an int mask. */
    static boolean[] flags(long[][] mask) {
        boolean[] out = new boolean[mask.length * mask[0].length];
        for (int b = 0; b < mask.length; b++) {
            for (int t = 0; t < mask[b].length; t++) {
                out[b * mask[b].length + t] = mask[b][t] != 0;
            }
        }
        return out;
    }
}
