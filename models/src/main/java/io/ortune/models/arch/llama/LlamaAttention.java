package io.ortune.models.arch.llama;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Attention;
import io.ortune.models.arch.nn.DecoderIo;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.LlamaConfig;

/**
 * Llama self-attention: q/k/v projections (biases for Qwen2), rotary embeddings on q and k, keys and values cached
 * after RoPE with their own (grouped) heads, repeated to the query heads, scaled dot product with the additive
 * mask, o_proj.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class LlamaAttention {

    private LlamaAttention() {
    }

    public static Value forward(GraphBuilder b, Params p, LlamaConfig c, LlamaWeights.Layer l, Value x,
                                Rope.Tables rope, Value mask, DecoderIo io) {
        int heads = c.numAttentionHeads();
        int kvHeads = c.numKeyValueHeads();
        int hd = c.headDim();
        try (GraphBuilder.Scope s = Modules.enter(b, l.selfAttn())) {
            Value q = Attention.splitHeads(b, Linear.linear(b, p, l.qProj(), x, c.qkvBias()), heads, hd);
            Value k = Attention.splitHeads(b, Linear.linear(b, p, l.kProj(), x, c.qkvBias()), kvHeads, hd);
            Value v = Attention.splitHeads(b, Linear.linear(b, p, l.vProj(), x, c.qkvBias()), kvHeads, hd);
            q = Rope.apply(b, q, rope, hd);
            k = Rope.apply(b, k, rope, hd);
            DecoderIo.KeyValue kv = io.attend(l.index(), k, v);
            Value keys = Attention.repeatKv(b, kv.key(), kvHeads, c.groupSize(), hd);
            Value values = Attention.repeatKv(b, kv.value(), kvHeads, c.groupSize(), hd);
            Value a = Attention.scaledDotProduct(b, q, keys, values, mask, 1.0 / Math.sqrt(hd));
            return Linear.linear(b, p, l.oProj(), Attention.mergeHeads(b, a, heads, hd), c.oProjBias());
        }
    }
}
