package io.ortune.models.arch.llama;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.nn.AttentionMask;
import io.ortune.models.arch.nn.DecoderIo;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.LlamaConfig;

import java.util.OptionalInt;

/**
 * Builds a Llama-family decoder (Llama 2/3, Mistral, Qwen2) from one {@link LlamaConfig}: token embedding, N blocks
 * of {@code x + attn(rmsnorm(x))} then {@code x + mlp(rmsnorm(x))}, final RMSNorm, LM head (tied to the embedding or
 * not). Float32, standard ONNX opset 17.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class LlamaBuilder {

    private final LlamaConfig c;
    private final GraphBuilder b;
    private final Params p;
    private final DecoderIo io;

    private LlamaBuilder(LlamaConfig c, WeightSource weights, Form form) {
        this.c = c;
        this.b = GraphBuilder.create(c.modelType() + "-" + form.metadataValue());
        this.p = new Params(b, weights);
        this.io = DecoderIo.declare(b, form, c.numHiddenLayers(), c.numKeyValueHeads(), c.headDim());
    }

    /** Builds {@code form} of a model of {@code c}; the weights must have been checked against the specs. */
    public static Model build(LlamaConfig c, WeightSource weights, Form form) {
        requireSupported(c);
        return new LlamaBuilder(c, weights, form).build();
    }

    /**
     * Fails for options the builder cannot express: {@code yarn} RoPE scaling, and Qwen2's sliding window (which
     * applies only from layer {@code max_window_layers} on, a key the config does not carry).
     */
    public static void requireSupported(LlamaConfig c) {
        Rope.requireSupported(c);
        if (c.variant() == LlamaConfig.Variant.QWEN2 && c.slidingWindow().isPresent()) {
            throw new UnsupportedOperationException("qwen2 use_sliding_window=true is not supported: Qwen2 applies "
                    + "the window only to layers from max_window_layers on; set use_sliding_window to false if the "
                    + "sequences stay within sliding_window " + c.slidingWindow().getAsInt());
        }
    }

    private Model build() {
        Value h = embed(io.inputIds());
        Rope.Tables rope = Rope.tables(b, c, io.positionIds());
        Value mask = AttentionMask.causal(b, io, slidingWindow());
        for (int i = 0; i < c.numHiddenLayers(); i++) {
            h = decoderLayer(LlamaWeights.layer(i), h, rope, mask);
        }
        h = RmsNorm.apply(b, p, LlamaWeights.NORM, h, c.rmsNormEps());
        io.finish(lmHead(h), c.vocabSize());
        return b.model();
    }

    private Value embed(Value ids) {
        try (GraphBuilder.Scope s = Modules.enter(b, LlamaWeights.EMBED_TOKENS)) {
            return b.gather(p.get(LlamaWeights.EMBED_TOKENS + ".weight"), ids, 0);
        }
    }

    private Value decoderLayer(LlamaWeights.Layer l, Value x, Rope.Tables rope, Value mask) {
        try (GraphBuilder.Scope s = Modules.enter(b, l.path())) {
            Value attn = LlamaAttention.forward(b, p, c, l, RmsNorm.apply(b, p, l.inputNorm(), x, c.rmsNormEps()),
                    rope, mask, io);
            Value h = b.add(x, attn);
            Value mlp = LlamaMlp.forward(b, p, c, l, RmsNorm.apply(b, p, l.postAttentionNorm(), h, c.rmsNormEps()));
            return b.add(h, mlp);
        }
    }

    private Value lmHead(Value h) {
        if (!c.tieWordEmbeddings()) {
            return Linear.linear(b, p, LlamaWeights.LM_HEAD, h, false);
        }
        try (GraphBuilder.Scope s = Modules.enter(b, LlamaWeights.LM_HEAD)) {
            return b.matMul(h, b.transpose(p.get(LlamaWeights.EMBED_TOKENS + ".weight"), 1, 0));
        }
    }

    /** Mistral's window when it is shorter than the longest sequence the model takes; else none. */
    private OptionalInt slidingWindow() {
        OptionalInt w = c.slidingWindow();
        return w.isPresent() && w.getAsInt() < c.maxPositionEmbeddings() ? w : OptionalInt.empty();
    }
}
