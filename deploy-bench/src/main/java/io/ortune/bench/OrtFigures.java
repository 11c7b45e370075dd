package io.ortune.bench;

/**
 * One model's ONNX Runtime figures.
 *
 * @param parameters         parameter count
 * @param prefillMs          median wall time of the prefill step (prompt → logits of every position + KV cache)
 * @param prefillMsMin       fastest prefill
 * @param decodeTokensPerS   median decode rate: (new tokens − 1) / time of the single-token steps, KV kept native
 * @param e2eTokensPerS      median new tokens / (prefill + decode time)
 * @param heapDecodeTokensPerS the same decode with every output copied to the Java heap and back each step
 * @param generatedHead      the first generated ids of the last run (for a sanity look)
 */
public record OrtFigures(long parameters, double prefillMs, double prefillMsMin, double decodeTokensPerS,
                         double e2eTokensPerS, double heapDecodeTokensPerS, int[] generatedHead) {
}
