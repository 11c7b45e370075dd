package io.ortune.training.peft;

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

/** ONNX Runtime for the PEFT tests: optimizations off (the graph runs as written), one thread (deterministic). */
final class MethodOrt {

    static final SessionOptions OPTIONS = SessionOptions.builder()
            .optimizationLevel(GraphOptimizationLevel.DISABLED).intraOpThreads(1).build();

    private MethodOrt() {
    }

    static InferenceSession session(Model m) {
        try {
            return InferenceSession.fromBytes(OnnxWriter.toBytes(m), OPTIONS, m.graph().name());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Map<String, Tensor> run(Model m, Map<String, Tensor> feeds, List<String> outputs) {
        try (InferenceSession s = session(m)) {
            return s.run(feeds, outputs);
        }
    }

    static Tensor run(Model m, Map<String, Tensor> feeds, String output) {
        return run(m, feeds, List.of(output)).get(output);
    }

    static double[] values(Tensor t) {
        if (t.dtype() == DataType.DOUBLE) {
            return t.toDoubles();
        }
        float[] f = t.toFloats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }
}
