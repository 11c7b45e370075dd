package io.ortune.models.arch.llama;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Activations;
import io.ortune.models.arch.nn.Linear;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;
import io.ortune.models.config.LlamaConfig;

/** The gated MLP (SwiGLU with SiLU): {@code down(act(gate(x)) · up(x))}. */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class LlamaMlp {

    private LlamaMlp() {
    }

    public static Value forward(GraphBuilder b, Params p, LlamaConfig c, LlamaWeights.Layer l, Value x) {
        try (GraphBuilder.Scope s = Modules.enter(b, l.mlp())) {
            Value gate = Linear.linear(b, p, l.gateProj(), x, c.mlpBias());
            Value up = Linear.linear(b, p, l.upProj(), x, c.mlpBias());
            Value hidden = b.mul(Activations.apply(b, c.hiddenAct(), gate), up);
            return Linear.linear(b, p, l.downProj(), hidden, c.mlpBias());
        }
    }
}
