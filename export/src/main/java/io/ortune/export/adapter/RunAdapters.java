package io.ortune.export.adapter;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.PeftMetadata;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The adapters of a training run as PEFT folders, laid out as {@code PeftModel.save_pretrained(dir)} lays them out:
 * the {@code default} adapter (or the only one, whatever its name) directly in {@code dir}, every other adapter in
 * {@code dir/<name>/}. {@code ortune train --peft} calls {@link #writeRun} with the run folder:
 *
 * <pre>{@code
 * TrainResult r = Trainer.train(request, listener);
 * List<Path> written = RunAdapters.writeRun(r.model().getParent());   // RUN_DIR/adapter/
 * }</pre>
 */
public final class RunAdapters {

    /** The folder inside a run folder that holds its adapter. */
    public static final String ADAPTER_DIR = "adapter";
    /** The model file of a run folder (base + unmerged adapter), as the trainer writes it. */
    public static final String RUN_MODEL = "model.onnx";

    private RunAdapters() {
    }

    /**
     * Writes the adapters of {@code runDir/model.onnx} into {@code runDir/adapter/}.
     *
     * @return the folders written (empty when the model carries no adapter: a full fine-tune)
     * @throws java.nio.file.NoSuchFileException when the run folder has no {@code model.onnx}
     */
    public static List<Path> writeRun(Path runDir) throws IOException {
        Path model = runDir.resolve(RUN_MODEL);
        if (!Files.isRegularFile(model)) {
            throw new java.nio.file.NoSuchFileException(model.toString(), null,
                    "run folder has no " + RUN_MODEL + " (has training finished?)");
        }
        return write(OnnxReader.read(model), runDir.resolve(ADAPTER_DIR));
    }

    /**
     * Writes every adapter of {@code m} under {@code dir} (see the class comment for the layout).
     *
     * @return the folders written, in injection order (empty when {@code m} carries no adapter)
     */
    public static List<Path> write(Model m, Path dir) throws IOException {
        List<AdapterInfo> adapters = PeftMetadata.adapters(m);
        List<Path> written = new ArrayList<>();
        for (AdapterInfo a : adapters) {
            Path target = folder(a.name(), adapters.size(), dir);
            PeftAdapters.extractTo(m, a.name(), target);
            written.add(target);
        }
        return written;
    }

    /** Where adapter {@code name} goes among {@code count} adapters saved into {@code dir}. */
    public static Path folder(String name, int count, Path dir) {
        if (count == 1 || name.equals(LoraConfig.DEFAULT_ADAPTER)) {
            return dir;
        }
        if (name.isEmpty() || name.contains("/") || name.contains("\\") || name.equals(".") || name.equals("..")) {
            throw new AdapterException(dir.toString(), "adapter name '" + name + "' cannot be a folder name");
        }
        return dir.resolve(name);
    }
}
