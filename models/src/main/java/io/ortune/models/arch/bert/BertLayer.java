package io.ortune.models.arch.bert;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Activations;
import io.ortune.models.arch.nn.Attention;
import io.ortune.models.arch.nn.LayerNorm;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.BertConfig;

/**
 * One post-LayerNorm encoder layer: {@code a = LN(x + dense(attention(x)))}, then
 * {@code LN(a + dense(act(dense(a))))}.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class BertLayer {

    private BertLayer() {
    }

    public static Value forward(GraphBuilder b, Params p, BertConfig c, BertWeights.Layer l, Value x, Value mask) {
        double eps = c.layerNormEps();
        try (GraphBuilder.Scope s = Modules.enter(b, l.path())) {
            Value context = selfAttention(b, p, c, l, x, mask);
            Value attended = LayerNorm.apply(b, p, l.attentionNorm(),
                    b.add(Linear.linear(b, p, l.attentionOutput(), context, true), x), eps);
            Value inner = Activations.apply(b, c.hiddenAct(), Linear.linear(b, p, l.intermediate(), attended, true));
            return LayerNorm.apply(b, p, l.outputNorm(),
                    b.add(Linear.linear(b, p, l.output(), inner, true), attended), eps);
        }
    }

    private static Value selfAttention(GraphBuilder b, Params p, BertConfig c, BertWeights.Layer l, Value x,
                                       Value mask) {
        int heads = c.numAttentionHeads();
        int hd = c.headDim();
        try (GraphBuilder.Scope s = Modules.enter(b, l.selfAttention())) {
            Value q = Attention.splitHeads(b, Linear.linear(b, p, l.query(), x, true), heads, hd);
            Value k = Attention.splitHeads(b, Linear.linear(b, p, l.key(), x, true), heads, hd);
            Value v = Attention.splitHeads(b, Linear.linear(b, p, l.value(), x, true), heads, hd);
            Value a = Attention.scaledDotProduct(b, q, k, v, mask, 1.0 / Math.sqrt(hd));
            return Attention.mergeHeads(b, a, heads, hd);
        }
    }
}
