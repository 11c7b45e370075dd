package io.ortune.pipeline.stage;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.ValueInfo;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Feeds for a batch of id rows, right-padded, for whichever of {@code input_ids}, {@code attention_mask},
 * {@code token_type_ids} (zeros) and {@code position_ids} (0..T-1) the session takes.
 */
final class OrtFeeds {

    private OrtFeeds() {
    }

    static Map<String, Tensor> of(InferenceSession s, List<int[]> rows, int pad) {
        int b = rows.size();
        int t = rows.stream().mapToInt(r -> r.length).max().orElse(0);
        long[] ids = new long[b * t];
        long[] mask = new long[b * t];
        long[] pos = new long[b * t];
        for (int r = 0; r < b; r++) {
            int[] row = rows.get(r);
            for (int i = 0; i < t; i++) {
                ids[r * t + i] = i < row.length ? row[i] : pad;
                mask[r * t + i] = i < row.length ? 1 : 0;
                pos[r * t + i] = i;
            }
        }
        long[] dims = {b, t};
        Map<String, Tensor> f = new LinkedHashMap<>();
        for (ValueInfo in : s.inputs()) {
            long[] v = switch (in.name()) {
                case "input_ids" -> ids;
                case "attention_mask" -> mask;
                case "position_ids" -> pos;
                case "token_type_ids" -> new long[b * t];
                default -> throw new IllegalArgumentException(s.label() + " takes input '" + in.name() + "'; the "
                        + "evaluate stage feeds input_ids, attention_mask, token_type_ids and position_ids only");
            };
            f.put(in.name(), in.elementType() == DataType.INT32 ? Tensor.ofInts(in.name(), dims, toInts(v))
                    : Tensor.ofLongs(in.name(), dims, v));
        }
        return f;
    }

    private static int[] toInts(long[] v) {
        int[] out = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = Math.toIntExact(v[i]);
        }
        return out;
    }
}
