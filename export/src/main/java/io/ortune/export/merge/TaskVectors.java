package io.ortune.export.merge;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * PEFT's {@code merge_utils} on flat float64 task tensors of one module (all of one length): magnitude and random
 * pruning, sign election, disjoint mean, and the weighted sums built from them.
 */
final class TaskVectors {

    private TaskVectors() {
    }

    /**
     * The combination of {@code tasks} (task i weighted by {@code w[i]}); {@code rnd[i]} drives DARE's drop of task i.
     */
    static double[] combine(Combination c, List<double[]> tasks, double[] w, double density, MajoritySign sign,
                            SplittableRandom[] rnd) {
        List<double[]> t = switch (c) {
            case TIES, MAGNITUDE_PRUNE -> tasks.stream().map(x -> magnitudePrune(x, density)).toList();
            case DARE_LINEAR, DARE_TIES -> {
                List<double[]> out = new ArrayList<>();
                for (int i = 0; i < tasks.size(); i++) {
                    out.add(randomPrune(tasks.get(i), density, rnd[i]));
                }
                yield out;
            }
            default -> tasks;
        };
        if (c.electsSign()) {
            return disjointMerge(weighted(t, w), majoritySignMask(t, sign));
        }
        return sum(weighted(t, w));
    }

    /** Keeps the {@code int(density·numel)} entries of largest magnitude (ties: lower index first), zeros the rest. */
    static double[] magnitudePrune(double[] x, double density) {
        if (density >= 1) {
            return x.clone();
        }
        int k = (int) (density * x.length);
        Integer[] order = IntStream.range(0, x.length).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.<Integer>comparingDouble(i -> -Math.abs(x[i])).thenComparingInt(i -> i));
        double[] out = new double[x.length];
        for (int j = 0; j < k; j++) {
            out[order[j]] = x[order[j]];
        }
        return out;
    }

    /** DARE: keeps each entry with probability {@code density} (a Bernoulli draw) and rescales kept ones by 1/density. */
    static double[] randomPrune(double[] x, double density, SplittableRandom rnd) {
        if (density >= 1) {
            return x.clone();
        }
        double[] out = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            boolean keep = rnd.nextDouble() < density;
            out[i] = keep ? x[i] / density : 0;
        }
        return out;
    }

    /** Per task, per entry: does its sign equal the elected one (sign of the total, or of the sign count; 0 → +)? */
    static boolean[][] majoritySignMask(List<double[]> t, MajoritySign method) {
        int n = t.get(0).length;
        boolean[][] mask = new boolean[t.size()][n];
        for (int e = 0; e < n; e++) {
            double s = 0;
            for (double[] x : t) {
                s += method == MajoritySign.TOTAL ? x[e] : Math.signum(x[e]);
            }
            double elected = s >= 0 ? 1 : -1;
            for (int i = 0; i < t.size(); i++) {
                mask[i][e] = Math.signum(t.get(i)[e]) == elected;
            }
        }
        return mask;
    }

    /** Σᵢ xᵢ·maskᵢ divided by max(Σᵢ maskᵢ, 1), per entry. */
    static double[] disjointMerge(List<double[]> x, boolean[][] mask) {
        int n = x.get(0).length;
        double[] out = new double[n];
        for (int e = 0; e < n; e++) {
            double s = 0;
            int count = 0;
            for (int i = 0; i < x.size(); i++) {
                if (mask[i][e]) {
                    s += x.get(i)[e];
                    count++;
                }
            }
            out[e] = s / Math.max(count, 1);
        }
        return out;
    }

    private static List<double[]> weighted(List<double[]> t, double[] w) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            double[] x = t.get(i).clone();
            for (int e = 0; e < x.length; e++) {
                x[e] *= w[i];
            }
            out.add(x);
        }
        return out;
    }

    private static double[] sum(List<double[]> t) {
        double[] out = new double[t.get(0).length];
        for (double[] x : t) {
            for (int e = 0; e < out.length; e++) {
                out[e] += x[e];
            }
        }
        return out;
    }
}
