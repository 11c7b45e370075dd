package io.ortune.bench.harness;

import java.util.Arrays;

/**
 * Warm-up then timed runs of one action, with {@link System#nanoTime()} around each timed call only.
 *
 * @param warmupRuns untimed runs done
 * @param warmupMs   their total wall time
 * @param timedMs    each timed run's wall time
 */
record Timings(int warmupRuns, double warmupMs, double[] timedMs) {

    static Timings time(Warmup warmup, Measure measure, Runnable action) {
        long w0 = System.nanoTime();
        int warm = 0;
        while (warmup.more(warm, System.nanoTime() - w0)) {
            action.run();
            warm++;
        }
        double warmMs = (System.nanoTime() - w0) / 1e6;
        double[] ms = new double[64];
        int n = 0;
        long m0 = System.nanoTime();
        while (measure.more(n, System.nanoTime() - m0)) {
            long t0 = System.nanoTime();
            action.run();
            long t1 = System.nanoTime();
            if (n == ms.length) {
                ms = Arrays.copyOf(ms, n * 2);
            }
            ms[n++] = (t1 - t0) / 1e6;
        }
        return new Timings(warm, warmMs, Arrays.copyOf(ms, n));
    }
}
