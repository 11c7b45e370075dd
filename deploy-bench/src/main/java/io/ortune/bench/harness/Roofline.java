package io.ortune.bench.harness;

import java.util.Locale;

/**
 * A measured figure against the machine's limits: prefill/encoder FLOP/s as a share of the MatMul peak (FLOPs
 * estimated as 2 · parameters · tokens, the transformer forward pass), and decode tokens/s against the bandwidth
 * bound (read bandwidth ÷ weight bytes read per generated token).
 */
public final class Roofline {

    private Roofline() {
    }

    /** 2 · params · tokens: the forward-pass FLOPs of a transformer with {@code params} weights over {@code tokens}. */
    public static double forwardFlops(long params, long tokens) {
        if (params < 0 || tokens < 0) {
            throw new IllegalArgumentException("params and tokens must be >= 0, are " + params + ", " + tokens);
        }
        return 2.0 * params * tokens;
    }

    /** Share (0..) of the MatMul peak reached by {@code tokensPerS} tokens/s of a model of {@code params} weights. */
    public static double shareOfPeak(long params, double tokensPerS, MachineLimits limits) {
        return forwardFlops(params, 1) * tokensPerS / (limits.matmulGflops() * 1e9);
    }

    /**
     * The decode bound, tokens/s per sequence: bandwidth ÷ weight bytes (every weight read once per step; a batch
     * of B shares that read, so the bound on batch tokens/s is B times this).
     */
    public static double decodeBoundTokensPerS(long weightBytes, MachineLimits limits) {
        if (weightBytes <= 0) {
            throw new IllegalArgumentException("weight bytes must be > 0, are " + weightBytes);
        }
        return limits.readGbPerS() * 1e9 / weightBytes;
    }

    /** E.g. {@code 12.3% of matmul peak (41.0 GFLOP/s)}. */
    public static String formatPeak(long params, double tokensPerS, MachineLimits limits) {
        return String.format(Locale.ROOT, "%.1f%% of matmul peak (%.1f GFLOP/s)",
                100 * shareOfPeak(params, tokensPerS, limits), limits.matmulGflops());
    }

    /** E.g. {@code 187 tokens/s vs bound 2400 tokens/s (7.8%)}. */
    public static String formatDecode(double tokensPerS, int batch, long weightBytes, MachineLimits limits) {
        double bound = batch * decodeBoundTokensPerS(weightBytes, limits);
        return String.format(Locale.ROOT, "%.0f tokens/s vs bound %.0f tokens/s (%.1f%%; %.1f GB/s / %s B per step)",
                tokensPerS, bound, 100 * tokensPerS / bound, limits.readGbPerS(), weightBytes);
    }
}
