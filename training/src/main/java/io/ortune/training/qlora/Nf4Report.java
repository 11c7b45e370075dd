package io.ortune.training.qlora;

import io.ortune.graph.peft.SkippedCandidate;

import java.util.List;
import java.util.Locale;

/**
 * What {@link Nf4QuantizePass} did.
 *
 * @param config           the settings
 * @param tensors          error statistics of each quantized weight
 * @param skipped          linear layers left in float, with reasons
 * @param quantizedWeights elements quantized
 * @param floatBytes       bytes those elements took in float32
 * @param storedBytes      bytes they take now (codes and scales)
 */
public record Nf4Report(Nf4Config config, List<QuantErrorStats> tensors, List<SkippedCandidate> skipped,
                        long quantizedWeights, long floatBytes, long storedBytes) {

    public Nf4Report {
        tensors = List.copyOf(tensors);
        skipped = List.copyOf(skipped);
    }

    /** Stored bits per quantized weight (4 plus the scales: 4.5 at block 64, ≈4.127 with double quantization). */
    public double bitsPerParameter() {
        return quantizedWeights == 0 ? 0 : 8.0 * storedBytes / quantizedWeights;
    }

    /** The largest relative Frobenius error over the quantized tensors. */
    public double worstRelFrobenius() {
        return tensors.stream().mapToDouble(QuantErrorStats::relFrobenius).max().orElse(0);
    }

    /** A few lines for a log. */
    public String summary() {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "NF4 (block %d%s): %d weights, %,d elements, %.1f MiB -> %.1f MiB, %.3f bits/param, "
                        + "worst rel Frobenius error %.4f", config.blockSize(),
                config.doubleQuant() ? ", double quantization" : "", tensors.size(), quantizedWeights,
                floatBytes / 1048576.0, storedBytes / 1048576.0, bitsPerParameter(), worstRelFrobenius()));
        for (SkippedCandidate s : skipped) {
            sb.append("\n  kept in float ").append(s);
        }
        return sb.toString();
    }
}
