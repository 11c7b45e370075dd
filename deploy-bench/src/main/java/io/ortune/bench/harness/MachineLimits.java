package io.ortune.bench.harness;

import io.ortune.bench.train.MatMulPeak;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This machine's two roofline limits, measured once per invocation and thread count: the float32 MatMul peak
 * (ONNX Runtime {@code MatMul} of two {@value #MATMUL_N}² float32 matrices with the run's intra-op threads, best of
 * {@value #MATMUL_RUNS} runs, see {@link MatMulPeak}) and the memory read bandwidth (a single-threaded Java loop
 * summing the longs of a {@value #READ_MIB} MiB direct buffer, best of {@value #READ_RUNS} passes). Both are
 * lower bounds of what the hardware can do; the probe takes a few seconds.
 *
 * @param matmulGflops     best MatMul run, GFLOP/s
 * @param readGbPerS       best read pass, GB/s (10⁹ bytes)
 * @param threads          intra-op threads of the MatMul
 * @param matmulMethod     how the peak was measured, as text
 * @param bandwidthMethod  how the bandwidth was measured, as text
 */
public record MachineLimits(double matmulGflops, double readGbPerS, int threads, String matmulMethod,
                            String bandwidthMethod) {

    /** MatMul size. */
    public static final int MATMUL_N = 1024;
    /** Timed MatMul runs. */
    public static final int MATMUL_RUNS = 3;
    /** Size of the read buffer, MiB. */
    public static final int READ_MIB = 256;
    /** Timed read passes (after one untimed). */
    public static final int READ_RUNS = 3;

    private static final Map<Integer, MachineLimits> CACHE = new ConcurrentHashMap<>();

    public MachineLimits {
        if (!(matmulGflops > 0) || !(readGbPerS > 0)) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "machine limits must be positive: matmul %.3f GFLOP/s, read %.3f GB/s", matmulGflops, readGbPerS));
        }
    }

    /** Measures (or returns this invocation's earlier measurement for the same thread count). */
    public static MachineLimits probe(int threads) {
        return CACHE.computeIfAbsent(threads, MachineLimits::measure);
    }

    private static MachineLimits measure(int threads) {
        MatMulPeak peak;
        try {
            peak = MatMulPeak.measure(MATMUL_N, threads, MATMUL_RUNS);
        } catch (IOException e) {
            throw new UncheckedIOException("machine limits: MatMul " + MATMUL_N + " probe failed", e);
        }
        double read = readGbPerS(READ_MIB, READ_RUNS);
        return new MachineLimits(peak.peakFlops() / 1e9, read, threads,
                String.format(Locale.ROOT, "ORT MatMul %d^3 fp32, %d threads, best of %d", MATMUL_N, threads,
                        MATMUL_RUNS),
                String.format(Locale.ROOT, "Java 1-thread sum over %d MiB direct buffer, best of %d", READ_MIB,
                        READ_RUNS));
    }

    /** Best read bandwidth (GB/s) summing a {@code mib} MiB direct buffer {@code runs} times. */
    static double readGbPerS(int mib, int runs) {
        ByteBuffer bytes = ByteBuffer.allocateDirect(Math.multiplyExact(mib, 1 << 20)).order(ByteOrder.nativeOrder());
        LongBuffer longs = bytes.asLongBuffer();
        for (int i = 0; i < longs.capacity(); i++) {
            longs.put(i, i);
        }
        long sink = sum(longs);
        double best = Double.MAX_VALUE;
        for (int r = 0; r < runs; r++) {
            long t0 = System.nanoTime();
            sink += sum(longs);
            best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        if (sink == 42) {
            System.err.print("");   // keeps the sums alive
        }
        return bytes.capacity() / best / 1e9;
    }

    private static long sum(LongBuffer b) {
        long s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        int n = b.capacity() & ~3;
        for (int i = 0; i < n; i += 4) {
            s0 += b.get(i);
            s1 += b.get(i + 1);
            s2 += b.get(i + 2);
            s3 += b.get(i + 3);
        }
        return s0 + s1 + s2 + s3;
    }
}
