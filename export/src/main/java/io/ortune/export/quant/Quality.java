package io.ortune.export.quant;

/** A quantized model's measured quality against its float original: decoder or encoder metrics. */
public sealed interface Quality permits Quality.Decoder, Quality.Encoder {

    /** One line for the console. */
    String summary();

    /**
     * Next-token quality of a decoder, over every position of every row (as llama.cpp's perplexity tool reports).
     *
     * @param rows           rows run
     * @param positions      next-token distributions compared
     * @param pplFloat       perplexity of the float model on the rows' own next tokens
     * @param pplQuant       perplexity of the quantized model
     * @param klMean         mean KL(float ‖ quantized) of the next-token distributions, nats
     * @param klP99          99th percentile of that KL
     * @param klMax          largest KL
     * @param top1Agreement  fraction of positions where both models' most likely token is the same
     */
    record Decoder(int rows, int positions, double pplFloat, double pplQuant, double klMean, double klP99,
                   double klMax, double top1Agreement) implements Quality {
        public double pplDelta() {
            return pplQuant - pplFloat;
        }

        @Override
        public String summary() {
            return String.format(java.util.Locale.ROOT, "perplexity %.4f -> %.4f (%+.4f, %+.2f%%), KL mean %.5f "
                    + "p99 %.5f max %.5f, top-1 agreement %.2f%% (%d positions, %d rows)", pplFloat, pplQuant,
                    pplDelta(), 100 * pplDelta() / pplFloat, klMean, klP99, klMax, 100 * top1Agreement, positions,
                    rows);
        }
    }

    /**
     * Output similarity of an encoder or classifier.
     *
     * @param rows          rows run
     * @param output        the graph output compared
     * @param vectors       vectors compared (tokens under the attention mask, or one per row)
     * @param cosineMean    mean cosine similarity of float and quantized vectors
     * @param cosineMin     smallest cosine similarity
     * @param pooledMean    mean cosine of the rows' mean-pooled vectors (under the attention mask; a
     *                      sentence-transformers embedding before normalization), NaN for outputs not of rank 3
     * @param pooledMin     smallest pooled cosine, or NaN
     * @param accuracyFloat task accuracy of the float model on the rows' labels, or NaN without labels
     * @param accuracyQuant task accuracy of the quantized model, or NaN
     */
    record Encoder(int rows, String output, int vectors, double cosineMean, double cosineMin, double pooledMean,
                   double pooledMin, double accuracyFloat, double accuracyQuant) implements Quality {
        public double accuracyDelta() {
            return accuracyQuant - accuracyFloat;
        }

        @Override
        public String summary() {
            String acc = Double.isNaN(accuracyFloat) ? "" : String.format(java.util.Locale.ROOT,
                    ", accuracy %.4f -> %.4f (%+.4f)", accuracyFloat, accuracyQuant, accuracyDelta());
            String pooled = Double.isNaN(pooledMean) ? "" : String.format(java.util.Locale.ROOT,
                    ", mean-pooled cosine mean %.6f min %.6f", pooledMean, pooledMin);
            return String.format(java.util.Locale.ROOT, "%s cosine mean %.6f min %.6f (%d vectors, %d rows)%s%s",
                    output, cosineMean, cosineMin, vectors, rows, pooled, acc);
        }
    }
}
