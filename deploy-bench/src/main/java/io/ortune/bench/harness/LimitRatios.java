package io.ortune.bench.harness;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * One result against the machine's limits: the share of the MatMul peak its prefill (or forward pass) reached,
 * FLOPs estimated as 2 · params · tokens, and with generation its decode tokens/s against the bandwidth bound
 * batch · read bandwidth ÷ weight bytes.
 *
 * @param matmulPeakShare          prefill/forward FLOP/s over the MatMul peak (0..)
 * @param decodeBoundTokensPerS    the bandwidth bound on decode tokens/s at this batch, or NaN without generation
 * @param decodeBoundShare         measured decode tokens/s over that bound, or NaN without generation
 */
public record LimitRatios(double matmulPeakShare, double decodeBoundTokensPerS, double decodeBoundShare) {

    /** The ratios of {@code r} (ok) for a model with weights {@code w}; empty when the model has no weights. */
    static Optional<LimitRatios> of(BenchResult r, ModelWeights w, MachineLimits limits) {
        if (w.params() == 0 || w.weightBytes() == 0) {
            return Optional.empty();
        }
        GenerationFigures g = r.generation();
        double prefillTokensPerS = g != null ? g.prefillTokensPerS() : r.tokensPerS();
        double share = Roofline.shareOfPeak(w.params(), prefillTokensPerS, limits);
        if (g == null) {
            return Optional.of(new LimitRatios(share, Double.NaN, Double.NaN));
        }
        double bound = r.batch() * Roofline.decodeBoundTokensPerS(w.weightBytes(), limits);
        return Optional.of(new LimitRatios(share, bound, g.decodeTokensPerS() / bound));
    }

    /** E.g. {@code prefill 12.3% of matmul peak; decode 187 tokens/s = 7.8% of bandwidth bound 2400 tokens/s}. */
    public String describe(BenchResult r) {
        List<String> parts = new ArrayList<>();
        parts.add(String.format(Locale.ROOT, "%s %.1f%% of matmul peak", r.generation() != null ? "prefill"
                : "forward", 100 * matmulPeakShare));
        if (!Double.isNaN(decodeBoundTokensPerS)) {
            parts.add(String.format(Locale.ROOT, "decode %.0f tokens/s = %.1f%% of bandwidth bound %.0f tokens/s",
                    r.generation().decodeTokensPerS(), 100 * decodeBoundShare, decodeBoundTokensPerS));
        }
        return String.join("; ", parts);
    }

    /** One line per ok result with known weights, after a header naming the limits; empty without limits. */
    public static List<String> summary(BenchResults results) {
        MachineLimits m = results.limits();
        List<String> lines = new ArrayList<>();
        if (m == null) {
            return lines;
        }
        lines.add(String.format(Locale.ROOT, "machine limits: matmul peak %.1f GFLOP/s (%s), read bandwidth %.1f "
                + "GB/s (%s)", m.matmulGflops(), m.matmulMethod(), m.readGbPerS(), m.bandwidthMethod()));
        for (BenchResult r : results.results()) {
            results.vsLimits(r).ifPresent(x -> lines.add(String.format(Locale.ROOT, "  %s %s batch %d seq %d: %s",
                    r.model(), r.backend(), r.batch(), r.seq(), x.describe(r))));
        }
        return lines;
    }
}
