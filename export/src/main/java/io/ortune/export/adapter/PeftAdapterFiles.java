package io.ortune.export.adapter;

import io.ortune.graph.ir.Model;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.models.weights.SafetensorsFile;
import io.ortune.models.weights.SafetensorsFormatException;
import io.ortune.models.weights.SafetensorsWriter;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The adapter folder Python PEFT reads and writes: {@value PeftConfigJson#FILE} and {@value #WEIGHTS}. Reading checks
 * the config (unknown fields tolerated, unsupported ones refused naming the field) and the tensors (the method's keys,
 * complete modules, ranks), and against a base model when one is given; writing runs every check first (nothing is
 * written when one fails), then writes each file to a temporary file in the folder and renames it into place, weights
 * before config, so a reader never sees a half-written file.
 */
public final class PeftAdapterFiles {

    /** The weights file PEFT writes ({@code safe_serialization=True}, its default). */
    public static final String WEIGHTS = "adapter_model.safetensors";
    /** The pickle file older PEFT writes, which ortune does not read. */
    public static final String PICKLED_WEIGHTS = "adapter_model.bin";

    private PeftAdapterFiles() {
    }

    /**
     * Reads the adapter in {@code dir}.
     *
     * @throws AdapterException naming the file and every problem (missing file, bad or unsupported config field, bad
     *                          key, rank or dtype)
     * @throws IOException      when a file cannot be read
     */
    public static PeftAdapter read(Path dir) throws IOException {
        Path configFile = dir.resolve(PeftConfigJson.FILE);
        Path weightsFile = dir.resolve(WEIGHTS);
        if (!Files.isDirectory(dir)) {
            throw new AdapterException(dir.toString(), "no such folder; an adapter is a folder holding "
                    + PeftConfigJson.FILE + " and " + WEIGHTS);
        }
        if (!Files.isRegularFile(configFile)) {
            throw new AdapterException(dir.toString(), "missing " + PeftConfigJson.FILE
                    + " (a PEFT adapter folder holds " + PeftConfigJson.FILE + " and " + WEIGHTS + ")");
        }
        if (!Files.isRegularFile(weightsFile)) {
            String why = Files.isRegularFile(dir.resolve(PICKLED_WEIGHTS)) ? "; it has " + PICKLED_WEIGHTS
                    + ", a pickle ortune does not read (save with safe_serialization=True)" : "";
            throw new AdapterException(dir.toString(), "missing " + WEIGHTS + why);
        }
        PeftAdapterConfig config = PeftConfigJson.parse(Files.readString(configFile, StandardCharsets.UTF_8),
                configFile.toString());
        config.requireSupported(configFile.toString());
        SafetensorsFile weights;
        try {
            weights = SafetensorsFile.open(weightsFile);
        } catch (SafetensorsFormatException e) {
            throw new AdapterException(weightsFile.toString(), e.getMessage());
        }
        PeftAdapter adapter = new PeftAdapter(config, weights.tensors());
        AdapterChecks.selfConsistent(adapter, weightsFile.toString());
        return adapter;
    }

    /** Reads the adapter in {@code dir} and checks it against {@code base} ({@link AdapterChecks#againstBase}). */
    public static PeftAdapter read(Path dir, Model base) throws IOException {
        PeftAdapter a = read(dir);
        AdapterChecks.againstBase(a, base, dir.resolve(WEIGHTS).toString());
        return a;
    }

    /**
     * Writes {@code adapter} into {@code dir} (created if needed), replacing an adapter there. Nothing is written when
     * a check fails.
     *
     * @throws AdapterException for an adapter whose config ortune would not read back or whose tensors do not fit it
     */
    public static void write(PeftAdapter adapter, Path dir) throws IOException {
        String source = dir.toString();
        adapter.config().requireSupported(source);
        AdapterChecks.selfConsistent(adapter, source);
        byte[] json = (PeftConfigJson.write(adapter.config()) + "\n").getBytes(StandardCharsets.UTF_8);
        PeftConfigJson.parse(new String(json, StandardCharsets.UTF_8), source + "/" + PeftConfigJson.FILE);
        Path abs = dir.toAbsolutePath();
        Files.createDirectories(abs);
        AtomicFiles.writeVia(abs.resolve(WEIGHTS), temp -> SafetensorsWriter.write(temp, adapter.tensors(),
                Map.of("format", "pt")));
        AtomicFiles.write(abs.resolve(PeftConfigJson.FILE), json);
    }

    /** Checks {@code adapter} against {@code base}, then {@link #write(PeftAdapter, Path) writes} it. */
    public static void write(PeftAdapter adapter, Path dir, Model base) throws IOException {
        AdapterChecks.againstBase(adapter, base, dir.toString());
        write(adapter, dir);
    }
}
