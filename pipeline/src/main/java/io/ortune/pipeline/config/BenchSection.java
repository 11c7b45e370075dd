package io.ortune.pipeline.config;

import java.util.List;

/**
 * {@code bench:} latency and throughput of every model the pipeline made (fp32 base, merged, quantized).
 *
 * @param batch    batch sizes ({@code [1, 32]})
 * @param seq      sequence length (128)
 * @param runs     timed runs per point (20)
 * @param warmup   untimed runs first (3)
 * @param generate decoders: a generation bench (time to first token, time per output token, quantization KL)
 */
public record BenchSection(List<Integer> batch, Integer seq, Integer runs, Integer warmup, Generate generate) {

    /**
     * {@code bench.generate:}.
     *
     * @param promptLen prompt ids (64)
     * @param newTokens generated ids (32)
     */
    public record Generate(Integer promptLen, Integer newTokens) {
    }
}
