package io.ortune.training.data;

import io.ortune.graph.ir.Tensor;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A padded micro-batch, row-major [rows, length]: token ids, attention mask (1 = real token, 0 = padding) and labels
 * (-100 on padding and on positions without loss).
 *
 * @param rows          batch size
 * @param length        sequence length
 * @param inputIds      ids, padding with the pad id
 * @param attentionMask 1 for real tokens, 0 for padding
 * @param labels        labels before the shift
 */
public record Batch(int rows, int length, long[] inputIds, long[] attentionMask, long[] labels) {

    public static final String INPUT_IDS = "input_ids";
    public static final String ATTENTION_MASK = "attention_mask";
    public static final String LABELS = "labels";
    public static final String POSITION_IDS = "position_ids";

    public Batch {
        long n = (long) rows * length;
        if (rows < 1 || length < 1 || inputIds.length != n || attentionMask.length != n || labels.length != n) {
            throw new IllegalArgumentException("a " + rows + " x " + length + " batch needs " + n
                    + " entries per array");
        }
    }

    /** Labels that count in the loss: positions after the first of each row whose label is not -100. */
    public long labelledTargets() {
        long count = 0;
        for (int r = 0; r < rows; r++) {
            for (int t = 1; t < length; t++) {
                if (labels[r * length + t] != Example.IGNORE) {
                    count++;
                }
            }
        }
        return count;
    }

    /** Real (unpadded) tokens. */
    public long tokens() {
        long count = 0;
        for (long m : attentionMask) {
            count += m;
        }
        return count;
    }

    /** The three model inputs as tensors, keyed {@value #INPUT_IDS}, {@value #ATTENTION_MASK}, {@value #LABELS}. */
    public Map<String, Tensor> feeds() {
        long[] dims = {rows, length};
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put(INPUT_IDS, Tensor.ofLongs(INPUT_IDS, dims, inputIds));
        m.put(ATTENTION_MASK, Tensor.ofLongs(ATTENTION_MASK, dims, attentionMask));
        m.put(LABELS, Tensor.ofLongs(LABELS, dims, labels));
        return m;
    }

    /**
     * {@value #POSITION_IDS} for graphs that take it, by Hugging Face's rule: the count of real tokens before each
     * position, with padded positions set to 1.
     */
    public Tensor positionIds() {
        return Tensor.ofLongs(POSITION_IDS, new long[] {rows, length}, positions());
    }

    private long[] positions() {
        long[] p = new long[attentionMask.length];
        for (int r = 0; r < rows; r++) {
            long seen = 0;
            for (int t = 0; t < length; t++) {
                int i = r * length + t;
                seen += attentionMask[i];
                p[i] = attentionMask[i] == 0 ? 1 : seen - 1;
            }
        }
        return p;
    }
}
