package io.ortune.training.trainer;

import io.ortune.graph.io.ReadableFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.arch.ModelForms;
import io.ortune.models.arch.ModelMetadata;
import io.ortune.models.arch.WeightMismatchException;

import java.io.IOException;
import java.nio.file.Path;

/** Reads a model file in the form the {@link Trainer} takes. Shared by {@code ortune train} and the pipeline. */
public final class TrainingModels {

    private TrainingModels() {
    }

    /**
     * The training form of an ortune-built model file, rebuilt in memory from its weights and metadata (sharing the
     * tensor data): a graph read from a file lacks the value types autodiff needs (ortune's type inference does not
     * cover every op, CumSum for one). A model the builders cannot rebuild (injected adapters) is used as read, as
     * is a foreign export (its signature is checked by the caller).
     */
    public static Model load(Path file) throws IOException {
        Model read = OnnxReader.read(ReadableFiles.file(file, "model"));
        if (!read.metadataProps().containsKey(ModelMetadata.ARCHITECTURE)) {
            return read;
        }
        Model m = ModelFactory.fromOnnx(file);
        try {
            return ModelForms.rebuild(m, Form.TRAINING);
        } catch (WeightMismatchException e) {
            ModelMetadata.Description d = ModelMetadata.read(m, file.toString());
            if (d.form() != Form.TRAINING) {
                throw e;
            }
            return m;
        }
    }
}
