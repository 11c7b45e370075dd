package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;

/**
 * Multi-head attention pieces: split and merge heads, repeat grouped key/value heads, and
 * {@code softmax(q · kᵀ · scale + mask) · v}.
 */
public final class Attention {

    private Attention() {
    }

    /** [batch, seq, heads · headDim] → [batch, heads, seq, headDim]. */
    public static Value splitHeads(GraphBuilder b, Value x, int heads, int headDim) {
        return b.transpose(b.reshape(x, 0, 0, heads, headDim), 0, 2, 1, 3);
    }

    /** [batch, heads, seq, headDim] → [batch, seq, heads · headDim]. */
    public static Value mergeHeads(GraphBuilder b, Value x, int heads, int headDim) {
        return b.reshape(b.transpose(x, 0, 2, 1, 3), 0, 0, (long) heads * headDim);
    }

    /**
     * Hugging Face's {@code repeat_kv}: [batch, kvHeads, seq, headDim] → [batch, kvHeads · groups, seq, headDim],
     * query head h reading key/value head h / groups.
     */
    public static Value repeatKv(GraphBuilder b, Value x, int kvHeads, int groups, int headDim) {
        if (groups == 1) {
            return x;
        }
        Value expanded = b.expand(b.unsqueeze(x, 2), b.constLongs(1, 1, groups, 1, 1));
        return b.reshape(expanded, 0, (long) kvHeads * groups, -1, headDim);
    }

    /**
     * {@code softmax(q · kᵀ · scale + mask) · v} over [batch, heads, seq, headDim] operands; {@code mask} is an
     * additive bias broadcasting to [batch, heads, queries, keys].
     */
    public static Value scaledDotProduct(GraphBuilder b, Value q, Value k, Value v, Value mask, double scale) {
        Value scores = b.mul(b.matMul(q, b.transpose(k, 0, 1, 3, 2)), b.constFloat((float) scale));
        Value probs = b.softmax(b.add(scores, mask), -1);
        return b.matMul(probs, v);
    }
}
