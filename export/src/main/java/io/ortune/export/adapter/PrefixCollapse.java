package io.ortune.export.adapter;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reparameterized prefix ({@code prefix_projection}: {@code tanh(E W0ᵀ + b0) W2ᵀ + b2}, PEFT's {@code PrefixEncoder}
 * MLP) collapsed to the plain {@code [P, 2·layers·token_dim]} table PEFT saves as {@code prompt_embeddings}, computed
 * in float64 and rounded once to float32.
 */
final class PrefixCollapse {

    static final String EMBEDDING = "prompt_encoder.embedding.weight";
    static final String PROMPT_EMBEDDINGS = "prompt_embeddings";
    private static final List<String> MLP = List.of("prompt_encoder.transform.0.weight",
            "prompt_encoder.transform.0.bias", "prompt_encoder.transform.2.weight", "prompt_encoder.transform.2.bias");

    private PrefixCollapse() {
    }

    /** Whether {@code tensors} hold the reparameterization MLP. */
    static boolean reparameterized(Map<String, Tensor> tensors) {
        return tensors.containsKey(MLP.get(0));
    }

    /** {@code tensors} with the embedding and MLP replaced by the one {@code prompt_embeddings} table they compute. */
    static Map<String, Tensor> collapse(Map<String, Tensor> tensors, String source) {
        for (String k : List.of(EMBEDDING, MLP.get(0), MLP.get(1), MLP.get(2), MLP.get(3))) {
            Tensor t = tensors.get(k);
            if (t == null) {
                throw new AdapterException(source, "key '" + k + "': the reparameterized prefix lacks it");
            }
            if (t.dtype() != DataType.FLOAT) {
                throw new AdapterException(source, "key '" + k + "': expected float32, found " + t.dtype().onnxName());
            }
        }
        float[] e = tensors.get(EMBEDDING).toFloats();
        float[] w0 = tensors.get(MLP.get(0)).toFloats();
        float[] b0 = tensors.get(MLP.get(1)).toFloats();
        float[] w2 = tensors.get(MLP.get(2)).toFloats();
        float[] b2 = tensors.get(MLP.get(3)).toFloats();
        int p = (int) tensors.get(EMBEDDING).dims()[0];
        int dim = (int) tensors.get(EMBEDDING).dims()[1];
        int hidden = b0.length;
        int width = b2.length;
        if (w0.length != hidden * dim || w2.length != width * hidden) {
            throw new AdapterException(source, "prompt_encoder.transform: shapes do not chain (embedding [" + p
                    + ", " + dim + "], hidden " + hidden + ", width " + width + ")");
        }
        float[] out = new float[p * width];
        double[] h = new double[hidden];
        for (int i = 0; i < p; i++) {
            for (int j = 0; j < hidden; j++) {
                double s = b0[j];
                for (int k = 0; k < dim; k++) {
                    s += (double) e[i * dim + k] * w0[j * dim + k];
                }
                h[j] = Math.tanh(s);
            }
            for (int j = 0; j < width; j++) {
                double s = b2[j];
                for (int k = 0; k < hidden; k++) {
                    s += h[k] * w2[j * hidden + k];
                }
                out[i * width + j] = (float) s;
            }
        }
        Map<String, Tensor> result = new LinkedHashMap<>();
        result.put(PROMPT_EMBEDDINGS, Tensor.ofFloats(PROMPT_EMBEDDINGS, new long[] {p, width}, out));
        tensors.forEach((k, v) -> {
            if (!k.equals(EMBEDDING) && !MLP.contains(k)) {
                result.put(k, v);
            }
        });
        return result;
    }
}
