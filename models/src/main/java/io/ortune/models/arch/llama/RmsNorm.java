package io.ortune.models.arch.llama;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.nn.Modules;
import io.ortune.models.arch.nn.Params;

/**
 * RMSNorm, {@code x / √(mean(x²) + ε) · w}, as Pow, ReduceMean, Add, Sqrt, Div and Mul (standard ops the autodiff
 * and TensorRT read; ONNX Runtime fuses them itself).
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class RmsNorm {

    private RmsNorm() {
    }

    /** Normalizes the last dimension of {@code x} with weight {@code <module>.weight}. */
    public static Value apply(GraphBuilder b, Params p, String module, Value x, double eps) {
        try (GraphBuilder.Scope s = Modules.enter(b, module)) {
            Value meanSquare = b.reduceMean(b.pow(x, b.constFloat(2f)), new long[] {-1}, true);
            Value normalized = b.div(x, b.sqrt(b.add(meanSquare, b.constFloat((float) eps))));
            return b.mul(p.get(module + ".weight"), normalized);
        }
    }
}
