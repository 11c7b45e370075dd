package io.ortune.bench.harness;

/**
 * Generation figures of one result, over the timed runs.
 *
 * @param newTokens          tokens generated per row per run
 * @param ttftMs             time to first token: the prefill step (whole prompt into the KV cache, first token chosen)
 * @param tpotMs             time per output token, MLPerf's (latency − TTFT) / (tokens − 1), per run
 * @param prefillTokensPerS  batch · seq / median TTFT
 * @param decodeTokensPerS   batch / median TPOT (tokens per second over all rows, KV cache kept native)
 */
public record GenerationFigures(int newTokens, LatencyStats ttftMs, LatencyStats tpotMs, double prefillTokensPerS,
                                double decodeTokensPerS) {
}
