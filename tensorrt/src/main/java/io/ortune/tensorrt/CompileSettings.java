package io.ortune.tensorrt;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalLong;

/**
 * What {@code ortune compile} is asked to do: the ONNX model, where the engine goes, the precision, one
 * optimization profile entry per dynamic input, the workspace limit and an optional timing cache (read when it
 * exists, written back after the build). The manifest is written beside the engine as {@code ENGINE.json}.
 *
 * <pre>{@code
 * CompileSettings s = new CompileSettings(Path.of("model.onnx"), Path.of("model.engine"), Precision.FP16,
 *         List.of(ProfileSpec.parse("input_ids:1x1,4x128,8x512")), OptionalLong.of(2048), null);
 * }</pre>
 *
 * @param model       the ONNX model (with its external data beside it)
 * @param engine      the serialized engine to write
 * @param precision   fp32, fp16, bf16 or int8 (explicit QDQ)
 * @param profiles    min/opt/max shapes per dynamic input
 * @param workspaceMb the builder's workspace memory-pool limit in MiB; empty: TensorRT's default
 * @param timingCache a timing cache file to load (when present) and save; null for none
 */
public record CompileSettings(Path model, Path engine, Precision precision, List<ProfileSpec> profiles,
                              OptionalLong workspaceMb, Path timingCache) {

    public CompileSettings {
        if (model == null || engine == null || precision == null) {
            throw new IllegalArgumentException("compile needs a model, an engine file (-o) and a precision");
        }
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        workspaceMb = workspaceMb == null ? OptionalLong.empty() : workspaceMb;
        if (workspaceMb.isPresent() && workspaceMb.getAsLong() <= 0) {
            throw new IllegalArgumentException("--workspace-mb: must be a positive number of MiB, got "
                    + workspaceMb.getAsLong());
        }
        if (workspaceMb.isPresent() && workspaceMb.getAsLong() > (Long.MAX_VALUE >> 20)) {
            throw new IllegalArgumentException("--workspace-mb: " + workspaceMb.getAsLong() + " MiB is too large");
        }
        Path m = model.toAbsolutePath().normalize();
        if (m.equals(engine.toAbsolutePath().normalize())) {
            throw new IllegalArgumentException("-o " + engine + ": the engine would overwrite the input model;"
                    + " give another file");
        }
        if (timingCache != null && (timingCache.toAbsolutePath().normalize().equals(m)
                || timingCache.toAbsolutePath().normalize().equals(engine.toAbsolutePath().normalize()))) {
            throw new IllegalArgumentException("--timing-cache " + timingCache + ": must differ from the model and"
                    + " the engine file");
        }
    }

    /** The JSON manifest written beside the engine: {@code model.engine} → {@code model.engine.json}. */
    public Path manifest() {
        return engine.resolveSibling(engine.getFileName() + ".json");
    }

    /** The workspace limit in bytes, or -1 for TensorRT's default. */
    public long workspaceBytes() {
        return workspaceMb.isPresent() ? workspaceMb.getAsLong() << 20 : -1;
    }
}
