package io.ortune.training.trainer;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import io.ortune.graph.peft.StripTrainingOnlyPass;
import io.ortune.training.artifacts.Checkpoint;
import io.ortune.training.artifacts.CheckpointReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;

/**
 * Writes the trained model for inference: the model training started from (a standard ONNX file with the same
 * inputs, outputs and initializer names, and its {@code ortune.*} metadata, so {@code ortune generate} can rebuild
 * the KV-cache form) with every parameter replaced by its value in a training checkpoint. The file is written
 * atomically (external data beyond 1.5 GB of weights). Training-only nodes (LoRA dropout) are left out.
 */
public final class ModelExport {

    /** Metadata key recording where the weights came from. */
    public static final String TRAINED_FROM = "ortune.trained.checkpoint";

    private static final long EXTERNAL_THRESHOLD = 1536L << 20;

    private ModelExport() {
    }

    /** Writes {@code original} with the parameters of the checkpoint file {@code checkpoint} to {@code out}. */
    public static void write(Model original, Path checkpoint, Path out) throws IOException {
        write(original, CheckpointReader.read(checkpoint), checkpoint.toString(), out);
    }

    /** Writes {@code original} with the parameters of {@code checkpoint} to {@code out}. */
    public static void write(Model original, Checkpoint checkpoint, String source, Path out) throws IOException {
        Model m = new StripTrainingOnlyPass().run(withParameters(original, checkpoint)).model();
        m.metadataProps().put(TRAINED_FROM, source);
        long bytes = 0;
        for (Value v : m.graph().initializers().values()) {
            bytes += v.constant().byteSize();
        }
        OnnxWriter.write(m, out, bytes > EXTERNAL_THRESHOLD ? WriteOptions.externalData() : WriteOptions.inline());
    }

    /** A copy of {@code original} whose initializers hold the checkpoint's parameters. */
    public static Model withParameters(Model original, Checkpoint checkpoint) {
        Model m = GraphCopier.copy(original);
        Graph g = m.graph();
        for (Tensor t : checkpoint.trainableParams()) {
            replace(g, t);
        }
        for (Tensor t : checkpoint.frozenParams()) {
            replace(g, t);
        }
        return m;
    }

    private static void replace(Graph g, Tensor t) {
        Value init = g.initializer(t.name());
        if (init == null) {
            throw new IllegalArgumentException("checkpoint parameter '" + t.name() + "' is not an initializer of the "
                    + "model being exported; was the run started from another model?");
        }
        Tensor old = init.constant();
        if (!Arrays.equals(old.dims(), t.dims()) || old.dtype() != t.dtype()) {
            throw new IllegalArgumentException("checkpoint parameter '" + t.name() + "' is " + t.dtype().onnxName()
                    + Arrays.toString(t.dims()) + " but the model's initializer is " + old.dtype().onnxName()
                    + Arrays.toString(old.dims()));
        }
        g.setInitializerTensor(init, t.withName(t.name()));
    }

    /** Parameter name → tensor of a checkpoint file, for inspection. */
    static Map<String, Tensor> parameters(Path checkpoint) throws IOException {
        Checkpoint c = CheckpointReader.read(checkpoint);
        Map<String, Tensor> out = new java.util.LinkedHashMap<>();
        c.trainableParams().forEach(t -> out.put(t.name(), t));
        c.frozenParams().forEach(t -> out.put(t.name(), t));
        return out;
    }
}
