package io.ortune.training.artifacts;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * The four training artifacts in memory, and {@link #write} to put them in a folder as ONNX Runtime's training API
 * loads them: {@value #TRAINING_MODEL}, {@value #EVAL_MODEL}, {@value #OPTIMIZER_MODEL}, {@value #CHECKPOINT}, plus
 * {@value #MANIFEST} (file hashes, parameter counts, optimizer and weight-decay plan, ortune version).
 *
 * @param trainingModel  forward + loss + gradient accumulation
 * @param evalModel      forward + loss
 * @param optimizerModel one optimizer node over tensor sequences
 * @param checkpoint     initial parameters (and properties)
 * @param summary        what the set contains
 */
public record ArtifactSet(Model trainingModel, Model evalModel, Model optimizerModel, Checkpoint checkpoint,
                          ArtifactSummary summary) {

    public static final String TRAINING_MODEL = "training_model.onnx";
    public static final String EVAL_MODEL = "eval_model.onnx";
    public static final String OPTIMIZER_MODEL = "optimizer_model.onnx";
    public static final String CHECKPOINT = "checkpoint";
    public static final String MANIFEST = "manifest.json";

    /** Models whose constants exceed this many bytes are written with external data ({@code <model>.data}). */
    static final long MODEL_EXTERNAL_DATA_THRESHOLD = 1L << 30;

    public ArtifactSet {
        Objects.requireNonNull(trainingModel, "trainingModel");
        Objects.requireNonNull(evalModel, "evalModel");
        Objects.requireNonNull(optimizerModel, "optimizerModel");
        Objects.requireNonNull(checkpoint, "checkpoint");
        Objects.requireNonNull(summary, "summary");
    }

    /**
     * Writes the artifacts into {@code dir} (created if needed). Every file is written to a temporary sibling and
     * renamed into place; an existing manifest is removed first and the new one written last, so a folder with a
     * manifest always holds a complete set.
     */
    public ArtifactFiles write(Path dir) throws IOException {
        return write(dir, new CheckpointWriter());
    }

    /** Like {@link #write(Path)}, with a checkpoint writer of your choice (for its external data threshold). */
    public ArtifactFiles write(Path dir, CheckpointWriter checkpointWriter) throws IOException {
        Files.createDirectories(dir);
        Path manifest = dir.resolve(MANIFEST);
        Files.deleteIfExists(manifest);
        Map<String, Path> files = new LinkedHashMap<>();
        writeModel(trainingModel, dir.resolve(TRAINING_MODEL), files);
        writeModel(evalModel, dir.resolve(EVAL_MODEL), files);
        writeModel(optimizerModel, dir.resolve(OPTIMIZER_MODEL), files);
        CheckpointFiles ckpt = checkpointWriter.writeTo(checkpoint, dir.resolve(CHECKPOINT));
        files.put(CHECKPOINT, ckpt.checkpoint());
        ckpt.externalData().ifPresent(p -> files.put(p.getFileName().toString(), p));
        ArtifactManifest.write(manifest, this, files);
        return new ArtifactFiles(dir, dir.resolve(TRAINING_MODEL), dir.resolve(EVAL_MODEL),
                dir.resolve(OPTIMIZER_MODEL), ckpt.checkpoint(), manifest);
    }

    private static void writeModel(Model model, Path file, Map<String, Path> files) throws IOException {
        long constants = 0;
        for (Value init : model.graph().initializers().values()) {
            constants += init.constant().byteSize();
        }
        boolean external = constants > MODEL_EXTERNAL_DATA_THRESHOLD;
        WriteOptions options = external ? WriteOptions.externalData() : WriteOptions.inline();
        OnnxWriter.write(model, file, options);
        files.put(file.getFileName().toString(), file);
        Path data = file.resolveSibling(options.dataFileNameFor(file.getFileName().toString()));
        if (external && Files.exists(data)) {
            files.put(data.getFileName().toString(), data);
        }
    }

    /**
     * Where {@link #write} put the artifacts.
     *
     * @param dir            the folder
     * @param trainingModel  {@value #TRAINING_MODEL}
     * @param evalModel      {@value #EVAL_MODEL}
     * @param optimizerModel {@value #OPTIMIZER_MODEL}
     * @param checkpoint     {@value #CHECKPOINT}
     * @param manifest       {@value #MANIFEST}
     */
    public record ArtifactFiles(Path dir, Path trainingModel, Path evalModel, Path optimizerModel, Path checkpoint,
                                Path manifest) { }
}
