package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * Hugging Face's {@code ACT2FN} activations written with standard ONNX ops (opset 17: no Gelu op), so autodiff and
 * TensorRT read them without contrib ops.
 */
public final class Activations {

    /** The names {@link #apply} implements. */
    public static final List<String> SUPPORTED = List.of("gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast",
            "quick_gelu", "relu", "silu", "swish", "tanh");

    private static final double SQRT_2_OVER_PI = Math.sqrt(2.0 / Math.PI);

    private Activations() {
    }

    /** Applies activation {@code name} (a Hugging Face {@code hidden_act} spelling). */
    public static Value apply(GraphBuilder b, String name, Value x) {
        switch (name) {
            case "gelu":
                return geluErf(b, x);
            case "gelu_new":
            case "gelu_pytorch_tanh":
            case "gelu_fast":
                return geluTanh(b, x);
            case "quick_gelu":
                return b.mul(x, b.sigmoid(b.mul(x, b.constFloat(1.702f))));
            case "relu":
                return b.relu(x);
            case "silu":
            case "swish":
                return silu(b, x);
            case "tanh":
                return b.tanh(x);
            default:
                throw new UnsupportedOperationException("activation '" + name + "' is not implemented (supported: "
                        + String.join(", ", SUPPORTED) + ")");
        }
    }

    /** {@code x · sigmoid(x)}. */
    public static Value silu(GraphBuilder b, Value x) {
        return b.mul(x, b.sigmoid(x));
    }

    /** Exact GELU: {@code 0.5 · x · (1 + erf(x / √2))}. */
    public static Value geluErf(GraphBuilder b, Value x) {
        Value erf = b.erf(b.div(x, b.constFloat((float) Math.sqrt(2.0))));
        return b.mul(b.mul(b.constFloat(0.5f), x), b.add(b.constFloat(1f), erf));
    }

    /**
     * GPT-2's GELU ({@code gelu_new}), the tanh approximation:
     * {@code 0.5 · x · (1 + tanh(√(2/π) · (x + 0.044715 · x³)))}.
     */
    public static Value geluTanh(GraphBuilder b, Value x) {
        Value cube = b.pow(x, b.constFloat(3f));
        Value inner = b.mul(b.constFloat((float) SQRT_2_OVER_PI), b.add(x, b.mul(b.constFloat(0.044715f), cube)));
        return b.mul(b.mul(b.constFloat(0.5f), x), b.add(b.constFloat(1f), b.tanh(inner)));
    }
}
