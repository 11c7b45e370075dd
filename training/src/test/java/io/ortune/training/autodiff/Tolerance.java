package io.ortune.training.autodiff;

import io.ortune.graph.ir.DataType;

/**
 * {@code |a - b| <= atol + rtol * |b|}, with the reason it is what it is. Shared defaults by dtype live here.
 */
record Tolerance(double atol, double rtol, String reason) {

    /**
     * Float64 forward graph, central differences with h = 1e-5: truncation error ~h^2 f'''/6 ~ 1e-11, rounding
     * ~1e-16 |L| / h ~ 1e-10 for |L| ~ 10; 1e-6 leaves four orders of margin yet catches any wrong term.
     */
    static final Tolerance DOUBLE = new Tolerance(1e-6, 1e-5, "float64 central differences, h=1e-5");

    /**
     * Float32 where ONNX Runtime has no float64 kernel: h = 1e-2 keeps rounding (6e-8 |L| / h ~ 3e-5 for |L| ~ 5)
     * and truncation (h^2 f'''/6 ~ 2e-5 for smooth ops on inputs of order 1) below 1e-4; the gradient graph itself
     * runs in float32 (~1e-6 relative).
     */
    static final Tolerance FLOAT = new Tolerance(2e-3, 1e-2, "float32 central differences, h=1e-2");

    /** Two float32 computations of the same gradient by different kernels (fused vs standard). */
    static final Tolerance SAME_MATH_FLOAT = new Tolerance(1e-5, 1e-4,
            "float32, same math by different kernels: summation order differs");

    static Tolerance forDtype(DataType t) {
        return t == DataType.DOUBLE ? DOUBLE : FLOAT;
    }

    /** The central-difference step that goes with a dtype. */
    static double stepFor(DataType t) {
        return t == DataType.DOUBLE ? 1e-5 : 1e-2;
    }

    boolean ok(double actual, double expected) {
        return Math.abs(actual - expected) <= atol + rtol * Math.abs(expected);
    }
}
