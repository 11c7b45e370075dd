package io.ortune.export.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

/**
 * The house comparison: shape, then dtype, then {@code |a−b| ≤ atol + rtol·|b|} with a stated reason; a failure
 * names the worst index, both values and the largest absolute and relative errors.
 */
final class Close {

    /**
     * A tolerance and why.
     *
     * @param atol   absolute part
     * @param rtol   relative part
     * @param reason why it is what it is
     */
    record Tolerance(double atol, double rtol, String reason) { }

    /**
     * fp32 ONNX Runtime graph vs the fp64 PyTorch reference: tools/peft_golden.py measures its own fp32 forward
     * within 3e-6 of fp64 on these logits (|logits| ≤ ~10); a different fp32 summation order may double that.
     */
    static final Tolerance FP32_VS_FP64 = new Tolerance(1e-5, 1e-5, "fp32 graph vs fp64 reference; the script's "
            + "own fp32 run is within 3e-6");

    private Close() {
    }

    /** Asserts and returns the largest absolute error; {@code include} (per row of the last dim) may be null. */
    static double assertClose(String what, Tensor actual, Tensor expected, boolean[] include, Tolerance tol) {
        assertThat(actual.dims()).as(what + ": shape").containsExactly(expected.dims());
        assertThat(actual.dtype()).as(what + ": dtype").isEqualTo(DataType.FLOAT);
        float[] a = actual.toFloats();
        float[] e = expected.toFloats();
        long[] d = expected.dims();
        int row = (int) d[d.length - 1];
        double maxAbs = 0;
        double maxRel = 0;
        int worst = -1;
        double worstExcess = 0;
        int compared = 0;
        for (int i = 0; i < a.length; i++) {
            if (include != null && !include[i / row]) {
                continue;
            }
            compared++;
            double diff = Math.abs((double) a[i] - e[i]);
            maxAbs = Math.max(maxAbs, diff);
            maxRel = Math.max(maxRel, diff / Math.max(Math.abs(e[i]), 1e-30));
            double excess = diff - (tol.atol() + tol.rtol() * Math.abs(e[i]));
            if (Double.isNaN(diff) || excess > worstExcess) {
                worstExcess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : excess;
                worst = i;
            }
        }
        if (worst >= 0) {
            throw new AssertionError(what + ": not within atol " + tol.atol() + " + rtol " + tol.rtol() + " ("
                    + tol.reason() + "); worst at flat index " + worst + ": actual " + a[worst] + ", expected "
                    + e[worst] + "; max abs error " + maxAbs + ", max rel error " + maxRel + " over " + compared
                    + " values");
        }
        assertThat(compared).as(what + ": compared values").isPositive();
        return maxAbs;
    }
}
