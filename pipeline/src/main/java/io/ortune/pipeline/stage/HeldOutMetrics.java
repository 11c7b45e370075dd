package io.ortune.pipeline.stage;

import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferencePair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Held-out figures of an exported model, computed with ONNX Runtime inference and float64 sums: pairwise accuracy
 * and mean Bradley–Terry loss of a reward model, mean next-token cross-entropy of a decoder.
 */
final class HeldOutMetrics {

    /**
     * A reward model's figures.
     *
     * @param accuracy fraction of pairs whose chosen response scores higher
     * @param loss     mean −log σ(score(chosen) − score(rejected))
     * @param pairs    pairs scored
     */
    record Pairwise(double accuracy, double loss, int pairs) {
    }

    /**
     * A decoder's figures.
     *
     * @param loss    mean cross-entropy per predicted token (nats)
     * @param tokens  tokens predicted
     */
    record TokenLoss(double loss, long tokens) {
        double perplexity() {
            return Math.exp(loss);
        }
    }

    private HeldOutMetrics() {
    }

    static Pairwise pairwise(Path model, List<Example> rows, int batchPairs, int pad, int threads) {
        int right = 0;
        double loss = 0;
        try (InferenceSession s = InferenceSession.open(model, options(threads))) {
            for (int from = 0; from < rows.size(); from += batchPairs) {
                List<int[]> batch = new ArrayList<>();
                for (Example e : rows.subList(from, Math.min(rows.size(), from + batchPairs))) {
                    PreferencePair p = PreferencePair.of(e);
                    batch.add(p.chosen());
                    batch.add(p.rejected());
                }
                float[] score = s.run(OrtFeeds.of(s, batch, pad), List.of("score")).get("score").toFloats();
                for (int i = 0; i < score.length; i += 2) {
                    double margin = (double) score[i] - score[i + 1];
                    right += margin > 0 ? 1 : 0;
                    loss += softplus(-margin);
                }
            }
        }
        return new Pairwise((double) right / rows.size(), loss / rows.size(), rows.size());
    }

    static TokenLoss tokenLoss(Path model, List<Example> rows, int threads) {
        double sum = 0;
        long n = 0;
        try (InferenceSession s = InferenceSession.open(model, options(threads))) {
            for (Example e : rows) {
                Tensor logits = s.run(OrtFeeds.of(s, List.of(e.inputIds()), 0), List.of("logits")).get("logits");
                long[] d = logits.dims();
                int vocab = Math.toIntExact(d[d.length - 1]);
                float[] z = logits.toFloats();
                int[] labels = e.labels();
                for (int t = 0; t + 1 < labels.length; t++) {
                    int y = labels[t + 1];
                    if (y == Example.IGNORE) {
                        continue;
                    }
                    sum += crossEntropy(z, t * vocab, vocab, y);
                    n++;
                }
            }
        }
        return new TokenLoss(n == 0 ? Double.NaN : sum / n, n);
    }

    /** −log softmax(z[off..off+v))[y], in float64. */
    static double crossEntropy(float[] z, int off, int v, int y) {
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < v; i++) {
            max = Math.max(max, z[off + i]);
        }
        double s = 0;
        for (int i = 0; i < v; i++) {
            s += Math.exp(z[off + i] - max);
        }
        return Math.log(s) + max - z[off + y];
    }

    /** log(1 + e^x), stable. */
    static double softplus(double x) {
        return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }

    private static SessionOptions options(int threads) {
        return SessionOptions.builder().intraOpThreads(threads).build();
    }
}
