package io.ortune.bench.harness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How many CPU cores other processes kept busy during a short idle window of this process: from {@code /proc/stat}
 * (all CPUs' busy ticks) minus {@code /proc/self/stat} (this JVM's user + system ticks), over the window's wall
 * ticks. Unlike the load average, which still counts the benchmark's own previous runs for a minute, this sees only
 * what competes with the next measurement. Linux only; elsewhere {@link Double#NaN}.
 */
final class OtherCpuUse {

    private OtherCpuUse() {
    }

    /** Cores used by other processes during the next {@code millis} ms (this thread sleeps), or NaN. */
    static double sample(long millis) {
        long[] a = ticks();
        if (a == null) {
            return Double.NaN;
        }
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Double.NaN;
        }
        long[] b = ticks();
        if (b == null) {
            return Double.NaN;
        }
        return cores(b[0] - a[0], b[1] - a[1], b[2] - a[2], Runtime.getRuntime().availableProcessors());
    }

    /**
     * Cores used by others: {@code (busy − self) / (total / cpus)}, where {@code total} counts every CPU's ticks, so
     * {@code total / cpus} is the window's wall ticks; clamped at 0.
     */
    static double cores(long busyTicks, long totalTicks, long selfTicks, int cpus) {
        if (totalTicks <= 0 || cpus <= 0) {
            return Double.NaN;
        }
        double wall = (double) totalTicks / cpus;
        return Math.max(0, (busyTicks - selfTicks) / wall);
    }

    /** {busy, total, self} ticks, or null when /proc is not there. */
    private static long[] ticks() {
        try {
            String[] cpu = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long total = 0;
            long idle = 0;
            for (int i = 1; i < cpu.length && i <= 8; i++) {
                long v = Long.parseLong(cpu[i]);
                total += v;
                if (i == 4 || i == 5) {
                    idle += v;                      // idle, iowait
                }
            }
            String self = Files.readString(Path.of("/proc/self/stat"));
            String[] f = self.substring(self.lastIndexOf(')') + 2).trim().split("\\s+");
            long selfTicks = Long.parseLong(f[11]) + Long.parseLong(f[12]);   // utime, stime (fields 14, 15)
            return new long[] {total - idle, total, selfTicks};
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
