package io.ortune.training.autodiff;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

/** ONNX Runtime sessions for tests: graph optimizations off (the graph runs as written), one thread. */
final class Ort {

    static final SessionOptions OPTIONS = SessionOptions.builder()
            .optimizationLevel(GraphOptimizationLevel.DISABLED).intraOpThreads(1).build();

    private Ort() {
    }

    static InferenceSession session(Model m) {
        return InferenceSession.fromBytes(bytes(m), OPTIONS, m.graph().name());
    }

    static byte[] bytes(Model m) {
        try {
            return OnnxWriter.toBytes(m);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs once and returns the named outputs. */
    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds, List<String> outputs) {
        try (InferenceSession s = session(m)) {
            return s.run(feeds, outputs);
        }
    }

    /** A float or double tensor's values as doubles. */
    static double[] values(Tensor t) {
        if (t.dtype() == DataType.DOUBLE) {
            return t.toDoubles();
        }
        if (t.dtype() == DataType.FLOAT) {
            float[] f = t.toFloats();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        throw new IllegalArgumentException("tensor '" + t.name() + "' is " + t.dtype().onnxName());
    }

    /** A tensor of {@code dtype} (float or double) holding {@code v}. */
    static Tensor tensor(String name, DataType dtype, long[] dims, double[] v) {
        if (dtype == DataType.DOUBLE) {
            return Tensor.ofDoubles(name, dims, v);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.ofFloats(name, dims, f);
    }

    static double scalar(Tensor t) {
        return values(t)[0];
    }
}
