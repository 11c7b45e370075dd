package io.ortune.graph.peft;

import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.OptionalInt;

/**
 * One self-attention found in a graph ({@link AttentionMatcher}): where its keys and values enter the score and
 * probability products, and the additive mask.
 *
 * @param module    module path of the attention ({@code model.layers.0.self_attn})
 * @param layer     the transformer layer, if the names tell
 * @param scores    the {@code MatMul(q, kᵀ)} node
 * @param mix       the {@code MatMul(probs, v)} node
 * @param maskAdd   the {@code Add(scores, mask)} node before the Softmax
 * @param mask      the additive mask operand of {@link #maskAdd}
 * @param key       the keys, where a prefix joins them
 * @param value     the values, where a prefix joins them
 * @param kvHeads   key/value heads (before any grouped-query repeat)
 * @param headDim   size of one head
 */
public record AttentionSite(String module, OptionalInt layer, Node scores, Node mix, Node maskAdd, Value mask,
                            Operand key, Operand value, long kvHeads, long headDim) {

    /** How an operand's dims are ordered. */
    public enum Layout {
        /** {@code [batch, heads, sequence, head_dim]}: the sequence is axis 2. */
        HEADS_FIRST(2),
        /** {@code [batch, sequence, heads, head_dim]} (an exporter's key before its transpose): axis 1. */
        SEQUENCE_FIRST(1);

        private final int sequenceAxis;

        Layout(int sequenceAxis) {
            this.sequenceAxis = sequenceAxis;
        }

        public int sequenceAxis() {
            return sequenceAxis;
        }
    }

    /**
     * Keys or values as they enter the attention path: input {@code inputIndex} of {@code reader} reads
     * {@code tensor}, laid out as {@code layout}, with the key/value heads not yet repeated for grouped-query attention.
     * Rewriting that one edge changes what the attention sees and nothing else (a KV cache's {@code present} output
     * reading the same tensor is left alone).
     */
    public record Operand(Value tensor, Layout layout, Node reader, int inputIndex) { }
}
