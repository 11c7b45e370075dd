package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.LoraAdapter;
import io.ortune.runtime.RunOptions;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code .onnx_adapter} files checked against a session and loaded into ONNX Runtime, with the {@link RunOptions}
 * that activate them all: what {@code ortune run --lora-adapter} does. Each file is read and checked
 * ({@link HotSwapChecks}: names, element types and shapes against the session's overridable initializers; two files
 * must not set the same input) before any is loaded, so a bad file fails before anything runs. Close it to release
 * the adapters and the run options.
 *
 * <pre>{@code
 * try (InferenceSession s = InferenceSession.open(Path.of("hot.onnx"));
 *      ActiveAdapters a = ActiveAdapters.load(s, List.of(Path.of("a.onnx_adapter")))) {
 *     Map<String, Tensor> out = s.run(feeds, a.runOptions());
 * }
 * }</pre>
 */
public final class ActiveAdapters implements AutoCloseable {

    private final List<LoraAdapter> adapters;
    private final RunOptions runOptions;

    private ActiveAdapters(List<LoraAdapter> adapters, RunOptions runOptions) {
        this.adapters = adapters;
        this.runOptions = runOptions;
    }

    /** Reads, checks and loads {@code files} for runs of {@code session}. */
    public static ActiveAdapters load(InferenceSession session, List<Path> files) throws IOException {
        Map<String, Path> setBy = new HashMap<>();
        List<String> clashes = new ArrayList<>();
        for (Path f : files) {
            OnnxAdapter a = OnnxAdapterFile.read(f);
            HotSwapChecks.check(a, f.toString(), session.overridableInitializers(), session.label());
            for (Tensor p : a.parameters()) {
                Path other = setBy.putIfAbsent(p.name(), f);
                if (other != null && clashes.size() < 5) {
                    clashes.add("parameter '" + p.name() + "' is set by " + other + " and by " + f
                            + "; activate adapters that set different inputs");
                }
            }
        }
        if (!clashes.isEmpty()) {
            throw new AdapterException("LoRA adapters " + files, clashes);
        }
        List<LoraAdapter> loaded = new ArrayList<>();
        RunOptions options = null;
        try {
            for (Path f : files) {
                loaded.add(LoraAdapter.open(f));
            }
            options = RunOptions.withAdapters(loaded);
            return new ActiveAdapters(List.copyOf(loaded), options);
        } catch (RuntimeException e) {
            for (LoraAdapter a : loaded) {
                a.close();
            }
            throw e;
        }
    }

    /** Run options with every adapter active. */
    public RunOptions runOptions() {
        return runOptions;
    }

    /** The loaded adapters, in the order given. */
    public List<LoraAdapter> adapters() {
        return adapters;
    }

    @Override
    public void close() {
        runOptions.close();
        for (LoraAdapter a : adapters) {
            a.close();
        }
    }
}
