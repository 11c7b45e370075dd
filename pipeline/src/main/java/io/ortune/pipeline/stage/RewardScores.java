package io.ortune.pipeline.stage;

import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferencePair;

import java.nio.file.Path;
import java.util.List;

/**
 * Two reward models' scores on the same held-out responses (each scored alone, batch 1): the cosine of the two score
 * vectors and the largest absolute difference, in float64.
 *
 * @param responses responses scored (two per pair)
 * @param cosine    cosine similarity of the score vectors
 * @param maxAbsDiff largest |score(a) − score(b)|
 */
record RewardScores(int responses, double cosine, double maxAbsDiff) {

    static RewardScores compare(Path a, Path b, List<Example> rows, int threads) {
        double dot = 0;
        double na = 0;
        double nb = 0;
        double max = 0;
        int n = 0;
        SessionOptions o = SessionOptions.builder().intraOpThreads(threads).build();
        try (InferenceSession sa = InferenceSession.open(a, o); InferenceSession sb = InferenceSession.open(b, o)) {
            for (Example e : rows) {
                PreferencePair p = PreferencePair.of(e);
                for (int[] r : List.of(p.chosen(), p.rejected())) {
                    double x = sa.run(OrtFeeds.of(sa, List.of(r), 0), List.of("score")).get("score").toFloats()[0];
                    double y = sb.run(OrtFeeds.of(sb, List.of(r), 0), List.of("score")).get("score").toFloats()[0];
                    dot += x * y;
                    na += x * x;
                    nb += y * y;
                    max = Math.max(max, Math.abs(x - y));
                    n++;
                }
            }
        }
        return new RewardScores(n, dot / Math.sqrt(na * nb), max);
    }
}
