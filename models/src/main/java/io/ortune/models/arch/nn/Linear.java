package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;

/**
 * Affine maps over the last dimension, with the weights read under the module's own names
 * ({@code <module>.weight}, {@code <module>.bias}) and nodes named after the module
 * ({@code /model/layers.0/self_attn/q_proj/MatMul}).
 */
@SuppressWarnings("try") // module scopes are entered for their effect on node names
public final class Linear {

    private Linear() {
    }

    /**
     * PyTorch {@code nn.Linear}: {@code y = x · Wᵀ + b} with W stored as-is, [out, in], and read through a Transpose
     * node (so merging and LoRA find the weight by its checkpoint name, as PEFT does).
     */
    public static Value linear(GraphBuilder b, Params p, String module, Value x, boolean bias) {
        try (GraphBuilder.Scope s = Modules.enter(b, module)) {
            Value y = b.matMul(x, b.transpose(p.get(module + ".weight"), 1, 0));
            return bias ? b.add(y, p.get(module + ".bias")) : y;
        }
    }

    /** Hugging Face {@code Conv1D} (GPT-2): {@code y = x · W + b} with W stored [in, out]. */
    public static Value conv1d(GraphBuilder b, Params p, String module, Value x) {
        try (GraphBuilder.Scope s = Modules.enter(b, module)) {
            return b.add(b.matMul(x, p.get(module + ".weight")), p.get(module + ".bias"));
        }
    }
}
