package io.ortune.models.arch.gpt2;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.WeightSource;
import io.ortune.models.arch.nn.Activations;
import io.ortune.models.arch.nn.AttentionMask;
import io.ortune.models.arch.nn.DecoderIo;
import io.ortune.models.arch.nn.LayerNorm;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.Gpt2Config;

import java.util.OptionalInt;

/**
 * Builds GPT-2 ({@code GPT2LMHeadModel}): token plus learned position embeddings, N pre-LayerNorm blocks
 * {@code x + attn(ln_1(x))}, {@code x + mlp(ln_2(x))} with a GELU MLP, final {@code ln_f}, and the LM head tied to
 * {@code wte} (a MatMul with its transpose; no second copy) unless the config unties it.
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class Gpt2Builder {

    private final Gpt2Config c;
    private final Gpt2Weights.Layout layout;
    private final GraphBuilder b;
    private final Params p;
    private final DecoderIo io;

    private Gpt2Builder(Gpt2Config c, WeightSource weights, Form form) {
        this.c = c;
        this.layout = Gpt2Weights.Layout.of(weights.names());
        this.b = GraphBuilder.create("gpt2-" + form.metadataValue());
        this.p = new Params(b, weights);
        this.io = DecoderIo.declare(b, form, c.nLayer(), c.nHead(), c.headDim());
    }

    /** Builds {@code form} of a model of {@code c}; the weights must have been checked against the specs. */
    public static Model build(Gpt2Config c, WeightSource weights, Form form) {
        return new Gpt2Builder(c, weights, form).build();
    }

    private Model build() {
        Value h = b.add(embed(Gpt2Weights.WTE, io.inputIds()), embed(Gpt2Weights.WPE, io.positionIds()));
        Value mask = AttentionMask.causal(b, io, OptionalInt.empty());
        for (int i = 0; i < c.nLayer(); i++) {
            h = block(Gpt2Weights.block(i), h, mask);
        }
        h = LayerNorm.apply(b, p, Gpt2Weights.LN_F, h, c.layerNormEpsilon());
        io.finish(lmHead(h), c.vocabSize());
        return b.model();
    }

    private Value embed(String module, Value ids) {
        try (GraphBuilder.Scope s = Modules.enter(b, module)) {
            return b.gather(p.get(module + ".weight"), ids, 0);
        }
    }

    private Value block(Gpt2Weights.Block blk, Value x, Value mask) {
        try (GraphBuilder.Scope s = Modules.enter(b, blk.path())) {
            Value ln1 = LayerNorm.apply(b, p, blk.ln1(), x, c.layerNormEpsilon());
            Value h = b.add(x, Gpt2Attention.forward(b, p, c, layout, blk, ln1, mask, io));
            Value ln2 = LayerNorm.apply(b, p, blk.ln2(), h, c.layerNormEpsilon());
            return b.add(h, mlp(blk, ln2));
        }
    }

    private Value mlp(Gpt2Weights.Block blk, Value x) {
        try (GraphBuilder.Scope s = Modules.enter(b, blk.mlp())) {
            Value hidden = Activations.apply(b, c.activationFunction(), Linear.conv1d(b, p, blk.cFc(), x));
            return Linear.conv1d(b, p, blk.mlpProj(), hidden);
        }
    }

    private Value lmHead(Value h) {
        if (!c.tieWordEmbeddings()) {
            return Linear.linear(b, p, Gpt2Weights.LM_HEAD, h, false);
        }
        try (GraphBuilder.Scope s = Modules.enter(b, Gpt2Weights.LM_HEAD)) {
            return b.matMul(h, b.transpose(p.get(Gpt2Weights.WTE + ".weight"), 1, 0));
        }
    }
}
