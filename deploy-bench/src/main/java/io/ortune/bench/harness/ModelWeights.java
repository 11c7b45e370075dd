package io.ortune.bench.harness;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A model's weights as the roofline needs them: the element count of its top-level initializers (the parameter
 * count of {@code 2 · params · tokens}, embeddings included) and their bytes as stored (what one decode step reads;
 * int4/NF4 weights count their packed bytes).
 *
 * @param params       initializer elements
 * @param weightBytes  initializer bytes
 */
public record ModelWeights(long params, long weightBytes) {

    public ModelWeights {
        if (params < 0 || weightBytes < 0) {
            throw new IllegalArgumentException("params and weight bytes must be >= 0, are " + params + ", "
                    + weightBytes);
        }
    }

    /** Sums {@code model}'s initializers. */
    public static ModelWeights of(Model model) {
        long params = 0;
        long bytes = 0;
        for (Value v : model.graph().initializers().values()) {
            Tensor t = v.constant();
            if (t != null) {
                params += t.elementCount();
                bytes += t.byteSize();
            }
        }
        return new ModelWeights(params, bytes);
    }

    /** The weights of the ONNX model in {@code file}, or empty for an engine or a file that is not readable ONNX. */
    public static Optional<ModelWeights> read(Path file) {
        if ("engine".equals(Precision.detect(file))) {
            return Optional.empty();
        }
        try {
            return Optional.of(of(OnnxReader.read(file)));
        } catch (IOException | RuntimeException e) {
            return Optional.empty();
        }
    }
}
