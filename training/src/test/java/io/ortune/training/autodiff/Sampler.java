package io.ortune.training.autodiff;

import java.util.Random;

/** Draws an input's values from its op's valid domain. */
@FunctionalInterface
interface Sampler {

    /** {@code n} values for input number {@code which} of a case. */
    double[] sample(Random r, int n, int which);

    /** Uniform in [-2, 2]. */
    Sampler REAL = uniform(-2, 2);
    /** Uniform in [0.5, 2]: Log, Sqrt, Pow bases, divisors. */
    Sampler POSITIVE = uniform(0.5, 2);
    /** Uniform in [-0.9, 0.9]. */
    Sampler SMALL = uniform(-0.9, 0.9);

    /**
     * Values at least ~0.04 from 0 and from each other, also across inputs: for kinks (Relu, Abs, Max, Min, Clip,
     * ReduceMax), so that no central difference straddles one.
     */
    Sampler DISTINCT = (r, n, which) -> {
        int[] perm = new int[n];
        for (int i = 0; i < n; i++) {
            perm[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = perm[i];
            perm[i] = perm[j];
            perm[j] = t;
        }
        double[] out = new double[n];
        double spacing = Math.min(0.37, 4.0 / Math.max(n, 1));
        for (int i = 0; i < n; i++) {
            out[i] = (perm[i] - n / 2.0) * spacing + 0.05 + 0.113 * which * spacing / 0.37
                    + (r.nextDouble() - 0.5) * 0.01 * spacing / 0.37;
        }
        return out;
    };

    static Sampler uniform(double lo, double hi) {
        return (r, n, which) -> {
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = lo + (hi - lo) * r.nextDouble();
            }
            return out;
        };
    }
}
