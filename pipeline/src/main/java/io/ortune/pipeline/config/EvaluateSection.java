package io.ortune.pipeline.config;

/**
 * {@code evaluate:} held-out quality before and after training, measured on the exported models with ONNX Runtime:
 * pairwise accuracy for reward models, mean token loss and perplexity for decoders.
 *
 * @param batchSize rows per inference run (16)
 */
public record EvaluateSection(Integer batchSize) {

    public int batchSizeOr() { return batchSize == null ? 16 : batchSize; }
}
