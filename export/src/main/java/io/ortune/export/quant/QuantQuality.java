package io.ortune.export.quant;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * Measures a quantized model against its float original on given rows, both run in ONNX Runtime: a decoder (a
 * {@code logits} output of rank 3) by perplexity, KL divergence of next-token distributions and top-1 agreement;
 * anything else by the cosine similarity of its first output (per token under the attention mask for rank 3, per
 * row otherwise) and, when rows carry a {@code label}, the accuracy of the output's argmax.
 */
public final class QuantQuality {

    private QuantQuality() {
    }

    /** The quality of {@code quantized} against {@code original} on {@code rows}. */
    public static Quality measure(Model original, Model quantized, TokenRows rows) {
        List<Map<String, Tensor>> feeds = rows.feeds(original);
        String output = original.graph().outputs().get(0).name();
        boolean decoder = isDecoder(original);
        if (decoder) {
            output = "logits";
        }
        List<float[]> a = new ArrayList<>();
        List<float[]> b = new ArrayList<>();
        List<long[]> dims = new ArrayList<>();
        try (InferenceSession fs = session(original, "float"); InferenceSession qs = session(quantized, "quantized")) {
            for (Map<String, Tensor> f : feeds) {
                Tensor x = fs.run(f, List.of(output)).get(output);
                a.add(x.toFloats());
                dims.add(x.dims());
                b.add(qs.run(f, List.of(output)).get(output).toFloats());
            }
        }
        if (decoder) {
            return decoderQuality(feeds, a, b, dims);
        }
        return encoderQuality(feeds, rows, output, a, b, dims);
    }

    static boolean isDecoder(Model m) {
        for (Value v : m.graph().outputs()) {
            if (v.name().equals("logits") && v.shape() != null && v.shape().hasRank() && v.shape().rank() == 3) {
                return true;
            }
        }
        return false;
    }

    private static InferenceSession session(Model m, String label) {
        try {
            return InferenceSession.fromBytes(OnnxWriter.toBytes(m), SessionOptions.defaults(), label);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Quality decoderQuality(List<Map<String, Tensor>> feeds, List<float[]> a, List<float[]> b,
                                          List<long[]> dims) {
        List<Double> kls = new ArrayList<>();
        double nllF = 0;
        double nllQ = 0;
        int scored = 0;
        int agree = 0;
        for (int r = 0; r < a.size(); r++) {
            long[] ids = feeds.get(r).get("input_ids").toLongsWidening();
            int t = (int) dims.get(r)[1];
            int v = (int) dims.get(r)[2];
            for (int i = 0; i < t; i++) {
                double[] lp = logSoftmax(a.get(r), i * v, v);
                double[] lq = logSoftmax(b.get(r), i * v, v);
                double kl = 0;
                for (int j = 0; j < v; j++) {
                    kl += Math.exp(lp[j]) * (lp[j] - lq[j]);
                }
                kls.add(Math.max(0, kl));
                agree += argmax(lp) == argmax(lq) ? 1 : 0;
                if (i + 1 < t) {
                    nllF -= lp[(int) ids[i + 1]];
                    nllQ -= lq[(int) ids[i + 1]];
                    scored++;
                }
            }
        }
        double[] sorted = kls.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        double mean = Arrays.stream(sorted).average().orElse(0);
        double p99 = sorted[(int) Math.min(sorted.length - 1, Math.ceil(0.99 * sorted.length) - 1)];
        double n = Math.max(scored, 1);
        return new Quality.Decoder(a.size(), sorted.length, Math.exp(nllF / n), Math.exp(nllQ / n), mean, p99,
                sorted[sorted.length - 1], (double) agree / sorted.length);
    }

    private static Quality encoderQuality(List<Map<String, Tensor>> feeds, TokenRows rows, String output,
                                          List<float[]> a, List<float[]> b, List<long[]> dims) {
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        int vectors = 0;
        double pooledSum = 0;
        double pooledMin = Double.POSITIVE_INFINITY;
        int labelled = 0;
        int rightF = 0;
        int rightQ = 0;
        for (int r = 0; r < a.size(); r++) {
            long[] d = dims.get(r);
            int width = (int) d[d.length - 1];
            Tensor mask = feeds.get(r).get("attention_mask");
            long[] m = d.length == 3 && mask != null ? mask.toLongsWidening() : null;
            float[] poolA = new float[width];
            float[] poolB = new float[width];
            for (int i = 0; i < a.get(r).length / width; i++) {
                if (m != null && m[i] == 0) {
                    continue;
                }
                double c = cosine(a.get(r), b.get(r), i * width, width);
                sum += c;
                min = Math.min(min, c);
                vectors++;
                for (int j = 0; j < width; j++) {
                    poolA[j] += a.get(r)[i * width + j];
                    poolB[j] += b.get(r)[i * width + j];
                }
            }
            if (d.length == 3) {
                double c = cosine(poolA, poolB, 0, width);
                pooledSum += c;
                pooledMin = Math.min(pooledMin, c);
            }
            if (rows.labels().get(r).isPresent() && d.length == 2) {
                labelled++;
                int label = rows.labels().get(r).getAsInt();
                rightF += argmax(a.get(r), width) == label ? 1 : 0;
                rightQ += argmax(b.get(r), width) == label ? 1 : 0;
            }
        }
        double accF = labelled == 0 ? Double.NaN : (double) rightF / labelled;
        double accQ = labelled == 0 ? Double.NaN : (double) rightQ / labelled;
        boolean pooled = !dims.isEmpty() && dims.get(0).length == 3;
        return new Quality.Encoder(a.size(), output, vectors, sum / Math.max(vectors, 1), min,
                pooled ? pooledSum / a.size() : Double.NaN, pooled ? pooledMin : Double.NaN, accF, accQ);
    }

    static double[] logSoftmax(float[] x, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, x[off + j]);
        }
        double s = 0;
        for (int j = 0; j < n; j++) {
            s += Math.exp(x[off + j] - max);
        }
        double lse = max + Math.log(s);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = x[off + j] - lse;
        }
        return out;
    }

    static double cosine(float[] a, float[] b, int off, int n) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int j = off; j < off + n; j++) {
            ab += (double) a[j] * b[j];
            aa += (double) a[j] * a[j];
            bb += (double) b[j] * b[j];
        }
        return aa == 0 && bb == 0 ? 1 : ab / Math.sqrt(aa * bb);
    }

    private static int argmax(double[] x) {
        int best = 0;
        for (int j = 1; j < x.length; j++) {
            if (x[j] > x[best]) {
                best = j;
            }
        }
        return best;
    }

    private static int argmax(float[] x, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) {
            if (x[j] > x[best]) {
                best = j;
            }
        }
        return best;
    }
}
