package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;
import java.util.OptionalInt;

/**
 * Attention masks as one additive float bias, the way Hugging Face's eager attention applies them: 0 where a query
 * may see a key, the most negative float32 elsewhere (a query that sees nothing gets a finite, meaningless row
 * instead of NaN). Visibility is decided in boolean form first and turned into a bias once, so combined masks never
 * add two large negatives.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class AttentionMask {

    /** {@code torch.finfo(torch.float32).min}, Hugging Face's masked-score value. */
    public static final float MASKED = -Float.MAX_VALUE;

    private AttentionMask() {
    }

    /**
     * The decoder mask [batch, 1, sequence, total]: key slot j is visible to the query in slot {@code past + i}
     * when {@code j ≤ past + i} (causal), {@code attention_mask[b, j] = 1} (padding) and, with a sliding window w,
     * {@code past + i - j < w}.
     */
    public static Value causal(GraphBuilder b, DecoderIo io, OptionalInt slidingWindow) {
        try (GraphBuilder.Scope s = b.scope("attention_mask")) {
            Value one = b.constLong(1);
            Value past = io.pastLength();
            Value queries = b.range(past, b.add(past, Shapes.dim(b, io.inputIds(), 1)), one);
            Value keys = b.range(b.constLong(0), Shapes.dim(b, io.attentionMask(), 1), one);
            Value q = b.unsqueeze(queries, 1);
            Value k = b.unsqueeze(keys, 0);
            Value visible = b.op("", "LessOrEqual", List.of(k, q));
            if (slidingWindow.isPresent()) {
                Value inWindow = b.greater(k, b.sub(q, b.constLong(slidingWindow.getAsInt())));
                visible = b.and(visible, inWindow);
            }
            visible = b.and(b.unsqueeze(visible, 0, 1), keyVisible(b, io.attentionMask()));
            return toBias(b, visible);
        }
    }

    /** The encoder (padding only) mask [batch, 1, 1, sequence] from {@code attention_mask} [batch, sequence]. */
    public static Value padding(GraphBuilder b, Value attentionMask) {
        try (GraphBuilder.Scope s = b.scope("attention_mask")) {
            return toBias(b, keyVisible(b, attentionMask));
        }
    }

    /** {@code attention_mask ≠ 0} as bool [batch, 1, 1, keys]. */
    private static Value keyVisible(GraphBuilder b, Value attentionMask) {
        return b.cast(b.unsqueeze(attentionMask, 1, 2), DataType.BOOL);
    }

    private static Value toBias(GraphBuilder b, Value visible) {
        return b.where(visible, b.constFloat(0f), b.constant(Tensor.scalarFloat("value", MASKED)));
    }
}
