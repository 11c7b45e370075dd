package io.ortune.export.merge;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * How far two models' first outputs are apart on the same inputs (run in ONNX Runtime): e.g. a QLoRA adapter merged
 * into the dequantized NF4 weights vs into the full-precision base.
 *
 * @param output  the compared output's name
 * @param maxAbs  max |a − b|
 * @param meanAbs mean |a − b|
 * @param maxRef  max |b|, for scale
 */
public record OutputDifference(String output, double maxAbs, double meanAbs, double maxRef) {

    /** Runs both models on {@code feeds} and compares their first float output. */
    public static OutputDifference of(Model a, Model b, Map<String, Tensor> feeds) {
        String name = a.graph().outputs().get(0).name();
        float[] x = run(a, feeds, name).toFloats();
        float[] y = run(b, feeds, name).toFloats();
        if (x.length != y.length) {
            throw new MergeException("output '" + name + "' has " + x.length + " values in one model and " + y.length
                    + " in the other");
        }
        double max = 0;
        double sum = 0;
        double ref = 0;
        for (int i = 0; i < x.length; i++) {
            double d = Math.abs((double) x[i] - y[i]);
            max = Math.max(max, d);
            sum += d;
            ref = Math.max(ref, Math.abs(y[i]));
        }
        return new OutputDifference(name, max, x.length == 0 ? 0 : sum / x.length, ref);
    }

    /**
     * Inputs for one row of token ids, for the graph inputs a text model takes: {@code input_ids}, and when present
     * {@code attention_mask} (ones), {@code token_type_ids} (zeros), {@code position_ids} (0..n−1).
     */
    public static Map<String, Tensor> tokenFeeds(Model m, long[] ids) {
        Map<String, Tensor> f = new LinkedHashMap<>();
        long[] dims = {1, ids.length};
        for (var in : m.graph().inputs()) {
            if (in.constant() != null) {
                continue;
            }
            long[] v = new long[ids.length];
            switch (in.name()) {
                case "input_ids" -> v = ids.clone();
                case "attention_mask" -> Arrays.fill(v, 1);
                case "token_type_ids" -> { }
                case "position_ids" -> Arrays.setAll(v, i -> i);
                default -> throw new MergeException("graph input '" + in.name() + "' is not one of input_ids, "
                        + "attention_mask, token_type_ids, position_ids; cannot feed it from token ids");
            }
            if (in.dtype() != DataType.INT64) {
                throw new MergeException("graph input '" + in.name() + "' is " + in.dtype().onnxName()
                        + "; token feeds are int64");
            }
            f.put(in.name(), Tensor.ofLongs(in.name(), dims, v));
        }
        return f;
    }

    /** One line for reports. */
    public String summary() {
        return String.format(Locale.ROOT, "%s: max |diff| %.3g, mean |diff| %.3g (max |output| %.3g)", output, maxAbs,
                meanAbs, maxRef);
    }

    private static Tensor run(Model m, Map<String, Tensor> feeds, String output) {
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(m))) {
            return s.run(feeds).get(output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
