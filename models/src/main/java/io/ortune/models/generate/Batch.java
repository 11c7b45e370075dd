package io.ortune.models.generate;

import io.ortune.graph.ir.DataType;
import io.ortune.models.arch.ModelIo;
import io.ortune.runtime.NativeTensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The token bookkeeping of one batched generation: prompts left-padded to a common width (pad slots masked out),
 * each row's tokens so far, where the next token goes (its position counts only the row's real tokens, as
 * {@code max(cumsum(attention_mask) - 1, 0)} does), and which rows are done. Builds each step's
 * {@code input_ids}, {@code attention_mask} and {@code position_ids}.
 */
final class Batch {

    private static final int PAD = 0;

    private final int size;
    private final int width;
    private final int[] padding;
    private final int[][] tokens;
    private final int[] lengths;
    private final int[] generated;
    private final long[] nextPosition;
    private final StopReason[] stopped;
    private int columns;

    Batch(List<int[]> prompts, int maxNewTokens) {
        this.size = prompts.size();
        this.width = prompts.stream().mapToInt(p -> p.length).max().orElse(0);
        this.padding = new int[size];
        this.tokens = new int[size][];
        this.lengths = new int[size];
        this.generated = new int[size];
        this.nextPosition = new long[size];
        this.stopped = new StopReason[size];
        for (int b = 0; b < size; b++) {
            int[] p = prompts.get(b);
            padding[b] = width - p.length;
            tokens[b] = Arrays.copyOf(p, p.length + maxNewTokens);
            lengths[b] = p.length;
            nextPosition[b] = p.length;
        }
    }

    int size() {
        return size;
    }

    /** Row {@code b}'s tokens so far (prompt, then generated) in {@code [0, length(b))}; do not modify. */
    int[] tokens(int b) {
        return tokens[b];
    }

    int length(int b) {
        return lengths[b];
    }

    int generatedCount(int b) {
        return generated[b];
    }

    int[] generatedIds(int b) {
        return Arrays.copyOfRange(tokens[b], lengths[b] - generated[b], lengths[b]);
    }

    boolean finished(int b) {
        return stopped[b] != null;
    }

    StopReason stopReason(int b) {
        return stopped[b];
    }

    boolean allFinished() {
        for (StopReason r : stopped) {
            if (r == null) {
                return false;
            }
        }
        return true;
    }

    /** Records row {@code b}'s new token. */
    void append(int b, int token) {
        tokens[b][lengths[b]++] = token;
        generated[b]++;
    }

    void finish(int b, StopReason reason) {
        stopped[b] = reason;
    }

    /**
     * Makes this step's inputs, adding them to {@code feeds}: the padded prompts on the first step, else each row's
     * last token (a finished row repeats its last token; its output is ignored). The caller closes the tensors.
     */
    void feed(Map<String, NativeTensor> feeds, boolean prefill, boolean withPositions) {
        int seq = prefill ? width : 1;
        columns = prefill ? width : columns + 1;
        long[] ids = new long[size * seq];
        long[] positions = new long[size * seq];
        for (int b = 0; b < size; b++) {
            if (prefill) {
                for (int t = 0; t < width - padding[b]; t++) {
                    ids[b * seq + padding[b] + t] = tokens[b][t];
                    positions[b * seq + padding[b] + t] = t;
                }
                for (int t = 0; t < padding[b]; t++) {
                    ids[b * seq + t] = PAD;
                }
            } else {
                ids[b] = tokens[b][lengths[b] - 1];
                positions[b] = nextPosition[b]++;
            }
        }
        long[] mask = new long[size * columns];
        for (int b = 0; b < size; b++) {
            Arrays.fill(mask, b * columns + padding[b], (b + 1) * columns, 1L);
        }
        feeds.put(ModelIo.INPUT_IDS, longs(new long[] {size, seq}, ids));
        feeds.put(ModelIo.ATTENTION_MASK, longs(new long[] {size, columns}, mask));
        if (withPositions) {
            feeds.put(ModelIo.POSITION_IDS, longs(new long[] {size, seq}, positions));
        }
    }

    private static NativeTensor longs(long[] dims, long[] values) {
        ByteBuffer buf = ByteBuffer.allocateDirect(values.length * Long.BYTES).order(ByteOrder.LITTLE_ENDIAN);
        buf.asLongBuffer().put(values);
        return NativeTensor.wrap(DataType.INT64, dims, buf);
    }
}
