package io.ortune.export.quant;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Measures activation ranges: runs the float model in ONNX Runtime with the activations to observe added as extra
 * graph outputs, and turns what it saw into a {@link CalibrationPlan} by the settings' method (minmax directly;
 * percentile and entropy from a second pass filling a 2048-bin histogram of |x| per activation). The inputs of
 * attention's activation × activation MatMuls always keep their minmax range (see {@link QdqPlacement#products}).
 */
public final class Calibrator {

    private Calibrator() {
    }

    /** Calibrates the activations {@link QdqPlacement} picks in {@code model} on the first rows of {@code data}. */
    public static CalibrationPlan calibrate(Model model, QuantSettings s, TokenRows data) {
        QdqPlacement placement = QdqPlacement.of(model.graph(), s, "model");
        List<Map<String, Tensor>> feeds = data.feeds(model);
        feeds = feeds.subList(0, Math.min(s.samples(), feeds.size()));
        List<String> names = placement.activations();
        Map<String, double[]> minMax = new LinkedHashMap<>();
        Map<String, Histogram> hist = new HashMap<>();
        try (InferenceSession session = observing(model, names)) {
            for (Map<String, Tensor> f : feeds) {
                Map<String, Tensor> out = session.run(f, names);
                for (String n : names) {
                    float[] xs = out.get(n).toFloats();
                    double[] mm = minMax.computeIfAbsent(n, k -> new double[] {Double.MAX_VALUE, -Double.MAX_VALUE});
                    for (float x : xs) {
                        mm[0] = Math.min(mm[0], x);
                        mm[1] = Math.max(mm[1], x);
                    }
                }
            }
            if (s.method() != CalibrationMethod.MINMAX) {
                for (String n : names) {
                    double[] mm = minMax.get(n);
                    hist.put(n, new Histogram(Math.max(Math.abs(mm[0]), Math.abs(mm[1]))));
                }
                for (Map<String, Tensor> f : feeds) {
                    Map<String, Tensor> out = session.run(f, names);
                    names.forEach(n -> hist.get(n).add(out.get(n).toFloats()));
                }
            }
        }
        List<TensorRange> ranges = new ArrayList<>();
        for (String n : names) {
            double[] mm = minMax.get(n);
            double amax = Math.max(Math.abs(mm[0]), Math.abs(mm[1]));
            CalibrationMethod method = placement.products().contains(n) ? CalibrationMethod.MINMAX : s.method();
            double threshold = switch (method) {
                case MINMAX -> amax;
                case PERCENTILE -> Math.min(amax, hist.get(n).percentile(s.percentile()));
                case ENTROPY -> Math.min(amax, hist.get(n).entropyThreshold());
            };
            ranges.add(s.target() == QuantTarget.TENSORRT ? TensorRange.symmetric(n, mm[0], mm[1], threshold)
                    : TensorRange.asymmetric(n, mm[0], mm[1], threshold));
        }
        return new CalibrationPlan(s.method(), s.target(), feeds.size(), s.percentile(), ranges);
    }

    /** A session over a copy of {@code model} that also outputs {@code names}. */
    private static InferenceSession observing(Model model, List<String> names) {
        Model copy = GraphCopier.copy(model);
        Graph g = copy.graph();
        Map<String, Value> byName = valuesByName(g);
        for (String n : names) {
            Value v = byName.get(n);
            if (v.isGraphOutput()) {
                continue;
            }
            if (v.type() == null) {
                v.setType(new ValueType.TensorType(DataType.FLOAT, Shape.UNKNOWN_RANK));
            }
            g.addOutput(v);
        }
        try {
            return InferenceSession.fromBytes(OnnxWriter.toBytes(copy), SessionOptions.defaults(), "calibration");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Value> valuesByName(Graph g) {
        Map<String, Value> m = new HashMap<>();
        g.inputs().forEach(v -> m.put(v.name(), v));
        for (Node n : g.nodes()) {
            n.outputs().forEach(v -> m.put(v.name(), v));
        }
        return m;
    }
}
