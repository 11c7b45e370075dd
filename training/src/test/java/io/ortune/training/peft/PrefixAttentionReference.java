package io.ortune.training.peft;

import io.ortune.graph.ir.Tensor;

/** Float64 attention with prefixed keys and values, the reference of the prefix-tuning test. */
final class PrefixAttentionReference {

    private PrefixAttentionReference() {
    }

    /**
     * {@code softmax(q·[pk; k]ᵀ/√d + [0 | mask])·[pv; v]} for q [B, H, T, D], k and v [B, KV, S, D], mask [B, 1, T, S];
     * the prefix of layer {@code layer} is read from {@code emb} [P, L·2·KV·D] in PEFT's layout (keys entry 2·layer,
     * values 2·layer+1 of the view [P, L·2, KV, D]); query head h reads kv head h / (H / KV).
     */
    static double[] attention(Tensor qt, Tensor kt, Tensor vt, Tensor maskT, float[] emb, int layer, int layers,
                              int p) {
        int b = (int) qt.dims()[0];
        int h = (int) qt.dims()[1];
        int t = (int) qt.dims()[2];
        int d = (int) qt.dims()[3];
        int kv = (int) kt.dims()[1];
        int s = (int) kt.dims()[2];
        double[] q = MethodOrt.values(qt);
        double[] k = MethodOrt.values(kt);
        double[] v = MethodOrt.values(vt);
        double[] mask = MethodOrt.values(maskT);
        double scale = 1 / Math.sqrt(d);
        double[] out = new double[b * h * t * d];
        int width = layers * 2 * kv * d;
        for (int bi = 0; bi < b; bi++) {
            for (int hi = 0; hi < h; hi++) {
                int g = hi / (h / kv);
                for (int ti = 0; ti < t; ti++) {
                    double[] score = new double[p + s];
                    double max = Double.NEGATIVE_INFINITY;
                    for (int j = 0; j < p + s; j++) {
                        double dot = 0;
                        for (int di = 0; di < d; di++) {
                            double key = j < p ? emb[j * width + ((2 * layer) * kv + g) * d + di]
                                    : k[((bi * kv + g) * s + j - p) * d + di];
                            dot += q[((bi * h + hi) * t + ti) * d + di] * key;
                        }
                        score[j] = dot * scale + (j < p ? 0 : mask[(bi * t + ti) * s + j - p]);
                        max = Math.max(max, score[j]);
                    }
                    double sum = 0;
                    for (int j = 0; j < p + s; j++) {
                        score[j] = Math.exp(score[j] - max);
                        sum += score[j];
                    }
                    for (int di = 0; di < d; di++) {
                        double acc = 0;
                        for (int j = 0; j < p + s; j++) {
                            double val = j < p ? emb[j * width + ((2 * layer + 1) * kv + g) * d + di]
                                    : v[((bi * kv + g) * s + j - p) * d + di];
                            acc += score[j] / sum * val;
                        }
                        out[((bi * h + hi) * t + ti) * d + di] = acc;
                    }
                }
            }
        }
        return out;
    }
}
