package io.ortune.export.merge;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * Every combination of {@link TaskVectors} against {@link ReferenceMergeUtils} (float64, independent) on tiny random
 * task tensors, plus closed-form cases: the prune count is {@code int(density·numel)}, the disjoint mean divides by
 * the number of sign-agreeing entries, DARE is reproducible from its seed. Tolerance 1e-12 + 1e-12·|b|: both sides
 * are float64 with a handful of operations per entry.
 */
class TaskVectorsTest {

    private static final double TOL = 1e-12;

    private static double[][] tasks(long seed, int n, int len) {
        Random r = new Random(seed);
        double[][] t = new double[n][len];
        for (double[] row : t) {
            for (int e = 0; e < len; e++) {
                row[e] = r.nextGaussian();
            }
        }
        return t;
    }

    private static SplittableRandom[] rnd(long... seeds) {
        SplittableRandom[] out = new SplittableRandom[seeds.length];
        for (int i = 0; i < seeds.length; i++) {
            out[i] = new SplittableRandom(seeds[i]);
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Combination.class)
    void matchesTheIndependentReference(Combination c) {
        double[][] t = tasks(c.ordinal() + 1, 3, 23);
        double[] w = {0.7, -0.4, 1.3};
        double density = 0.4;
        for (MajoritySign sign : MajoritySign.values()) {
            double[] got = TaskVectors.combine(c, List.of(t), w, density, sign, rnd(11, 12, 13));
            double[][] pruned = new double[3][];
            for (int i = 0; i < 3; i++) {
                pruned[i] = switch (c) {
                    case TIES, MAGNITUDE_PRUNE -> ReferenceMergeUtils.prune(t[i], density);
                    case DARE_LINEAR, DARE_TIES -> ReferenceMergeUtils.dare(t[i], density, 11 + i);
                    default -> t[i];
                };
            }
            double[] want = c.electsSign() ? ReferenceMergeUtils.electAndMean(pruned, w, sign == MajoritySign.FREQUENCY)
                    : ReferenceMergeUtils.weightedSum(pruned, w);
            Fixtures.assertClose(c.cliName() + " " + sign.cliName(), got, want, TOL, TOL);
        }
    }

    @Test
    void pruneKeepsIntDensityTimesNumelEntries() {
        double[] x = {0.5, -3, 2, -0.1, 1, 4, -2.5};
        assertThat(TaskVectors.magnitudePrune(x, 0.5)).as("int(3.5) = 3 kept").containsExactly(0, -3, 0, 0, 0, 4, -2.5);
        assertThat(TaskVectors.magnitudePrune(x, 0.3)).as("int(2.1) = 2 kept").containsExactly(0, -3, 0, 0, 0, 4, 0);
        assertThat(TaskVectors.magnitudePrune(x, 0.1)).as("int(0.7) = 0 kept").containsOnly(0);
    }

    @Test
    void disjointMeanDividesByTheSignAgreeingCount() {
        double[] t1 = {2, -1, 0};
        double[] t2 = {4, 3, -5};
        double[] got = TaskVectors.combine(Combination.TIES, List.of(t1, t2), new double[] {1, 1}, 1.0,
                MajoritySign.TOTAL, rnd(0, 0));
        assertThat(got).containsExactly(3, 3, -5);
        double[] freq = TaskVectors.combine(Combination.TIES, List.of(new double[] {1}, new double[] {1},
                new double[] {-10}), new double[] {1, 1, 1}, 1.0, MajoritySign.FREQUENCY, rnd(0, 0, 0));
        assertThat(freq).as("two positive votes beat one large negative").containsExactly(1);
        double[] total = TaskVectors.combine(Combination.TIES, List.of(new double[] {1}, new double[] {1},
                new double[] {-10}), new double[] {1, 1, 1}, 1.0, MajoritySign.TOTAL, rnd(0, 0, 0));
        assertThat(total).as("the total's sign is negative").containsExactly(-10);
    }

    @Test
    void dareIsReproducibleFromItsSeedAndRescales() {
        double[] x = tasks(3, 1, 400)[0];
        double[] a = TaskVectors.randomPrune(x, 0.3, new SplittableRandom(42));
        double[] b = TaskVectors.randomPrune(x, 0.3, new SplittableRandom(42));
        double[] c = TaskVectors.randomPrune(x, 0.3, new SplittableRandom(43));
        assertThat(a).containsExactly(b);
        assertThat(a).isNotEqualTo(c);
        int kept = 0;
        for (int e = 0; e < x.length; e++) {
            if (a[e] != 0) {
                kept++;
                assertThat(a[e]).isEqualTo(x[e] / 0.3);
            }
        }
        assertThat(kept).as("about density·n kept (binomial, 4 sigma)").isBetween(120 - 37, 120 + 37);
    }
}
