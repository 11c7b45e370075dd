package io.ortune.models.arch.gpt2;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Attention;
import io.ortune.models.arch.nn.DecoderIo;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.Gpt2Config;

import java.util.List;

/**
 * GPT-2 self-attention: q, k, v from the fused {@code c_attn} Conv1D (or split projections), heads, the KV cache,
 * {@code softmax(q · kᵀ / √d + mask) · v}, then {@code c_proj}.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class Gpt2Attention {

    private Gpt2Attention() {
    }

    public static Value forward(GraphBuilder b, Params p, Gpt2Config c, Gpt2Weights.Layout layout,
                                Gpt2Weights.Block blk, Value x, Value mask, DecoderIo io) {
        int heads = c.nHead();
        int hd = c.headDim();
        try (GraphBuilder.Scope s = Modules.enter(b, blk.attn())) {
            List<Value> qkv = projections(b, p, c, layout, blk, x);
            Value q = Attention.splitHeads(b, qkv.get(0), heads, hd);
            Value k = Attention.splitHeads(b, qkv.get(1), heads, hd);
            Value v = Attention.splitHeads(b, qkv.get(2), heads, hd);
            DecoderIo.KeyValue kv = io.attend(blk.index(), k, v);
            Value a = Attention.scaledDotProduct(b, q, kv.key(), kv.value(), mask, 1.0 / Math.sqrt(hd));
            return Linear.conv1d(b, p, blk.attnProj(), Attention.mergeHeads(b, a, heads, hd));
        }
    }

    private static List<Value> projections(GraphBuilder b, Params p, Gpt2Config c, Gpt2Weights.Layout layout,
                                           Gpt2Weights.Block blk, Value x) {
        if (layout == Gpt2Weights.Layout.SPLIT) {
            return List.of(Linear.conv1d(b, p, blk.qProj(), x), Linear.conv1d(b, p, blk.kProj(), x),
                    Linear.conv1d(b, p, blk.vProj(), x));
        }
        long e = c.nEmbd();
        return b.split(Linear.conv1d(b, p, blk.cAttn(), x), -1, e, e, e);
    }
}
