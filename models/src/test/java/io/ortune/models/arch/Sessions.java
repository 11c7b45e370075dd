package io.ortune.models.arch;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs built models in ONNX Runtime (CPU, default optimizations) and makes input tensors. */
final class Sessions {

    private Sessions() {
    }

    /** A session over {@code model} serialized in memory. */
    static InferenceSession open(Model model) {
        try {
            return InferenceSession.fromBytes(OnnxWriter.toBytes(model));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs {@code model} once. */
    static Map<String, Tensor> run(Model model, Map<String, Tensor> feeds) {
        try (InferenceSession s = open(model)) {
            return s.run(feeds);
        }
    }

    static Tensor longs(String name, long[][] rows) {
        int b = rows.length;
        int t = rows[0].length;
        long[] flat = new long[b * t];
        for (int i = 0; i < b; i++) {
            System.arraycopy(rows[i], 0, flat, i * t, t);
        }
        return Tensor.ofLongs(name, new long[] {b, t}, flat);
    }

    /** {@code input_ids} and {@code attention_mask} feeds. */
    static Map<String, Tensor> idsAndMask(long[][] ids, long[][] mask) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        f.put(ModelIo.INPUT_IDS, longs(ModelIo.INPUT_IDS, ids));
        f.put(ModelIo.ATTENTION_MASK, longs(ModelIo.ATTENTION_MASK, mask));
        return f;
    }

    /** Columns {@code from..to-1} of every row. */
    static long[][] columns(long[][] rows, int from, int to) {
        long[][] out = new long[rows.length][];
        for (int i = 0; i < rows.length; i++) {
            out[i] = java.util.Arrays.copyOfRange(rows[i], from, to);
        }
        return out;
    }

    /** Hugging Face's left-padding positions, {@code max(cumsum(mask) - 1, 0)}. */
    static long[][] positions(long[][] mask) {
        long[][] out = new long[mask.length][];
        for (int b = 0; b < mask.length; b++) {
            out[b] = new long[mask[b].length];
            long sum = 0;
            for (int t = 0; t < mask[b].length; t++) {
                sum += mask[b][t];
                out[b][t] = Math.max(sum - 1, 0);
            }
        }
        return out;
    }
}
