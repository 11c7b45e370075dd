package io.ortune.pipeline.stage;

import io.ortune.export.quant.TokenRows;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferencePair;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;

/** Pipeline rows as {@link TokenRows} (batch-1 {@code input_ids}): both responses of a preference pair, or the row. */
final class QuantRows {

    private QuantRows() {
    }

    static TokenRows of(Path source, List<Example> rows, boolean pairs, int limit) {
        List<Map<String, long[]>> out = new ArrayList<>();
        for (Example e : rows) {
            if (out.size() >= limit) {
                break;
            }
            if (pairs) {
                PreferencePair p = PreferencePair.of(e);
                out.add(Map.of("input_ids", longs(p.chosen())));
                if (out.size() < limit) {
                    out.add(Map.of("input_ids", longs(p.rejected())));
                }
            } else {
                out.add(Map.of("input_ids", longs(e.inputIds())));
            }
        }
        List<OptionalInt> labels = new ArrayList<>();
        out.forEach(r -> labels.add(OptionalInt.empty()));
        return new TokenRows(source, out, labels);
    }

    private static long[] longs(int[] v) {
        long[] o = new long[v.length];
        for (int i = 0; i < v.length; i++) {
            o[i] = v[i];
        }
        return o;
    }
}
