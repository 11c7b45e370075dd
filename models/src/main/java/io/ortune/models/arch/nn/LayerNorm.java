package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;

/** {@code torch.nn.LayerNorm} over the last dimension, as ONNX LayerNormalization (opset 17). */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class LayerNorm {

    private LayerNorm() {
    }

    /** Normalizes the last dimension of {@code x} with {@code <module>.weight} and {@code <module>.bias}. */
    public static Value apply(GraphBuilder b, Params p, String module, Value x, double eps) {
        try (GraphBuilder.Scope s = Modules.enter(b, module)) {
            return b.layerNorm(x, p.get(module + ".weight"), p.get(module + ".bias"), -1, (float) eps);
        }
    }
}
