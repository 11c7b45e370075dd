package io.ortune.bench.harness;

import java.nio.file.Path;
import java.util.Optional;

/**
 * TensorRT engines. The harness does not load TensorRT itself: it probes for a GPU and {@code libnvinfer} without
 * loading native code ({@link GpuProbe}), and times engines through an {@link EngineOpener} supplied by whoever owns
 * TensorRT (the {@code tensorrt} module), so that nothing here depends on it. Skipped, with the reason, when the
 * probe fails or no opener was given.
 *
 * @param opener     opens an engine file for timing, or null when none is registered
 * @param probeError why the probe failed, or null when a GPU and libnvinfer were found
 */
public record TensorRtBackend(EngineOpener opener, String probeError) implements Backend {

    /** Opens a TensorRT engine (or ONNX file to build one from) as a {@link ModelSession}. */
    @FunctionalInterface
    public interface EngineOpener {
        ModelSession open(Path engine, int threads);
    }

    /** Probes this machine; no opener registered. */
    public static TensorRtBackend probing() {
        return withOpener(null);
    }

    /** Probes this machine and times engines with {@code opener}. */
    public static TensorRtBackend withOpener(EngineOpener opener) {
        return new TensorRtBackend(opener, GpuProbe.probe().tensorRtMissing().orElse(null));
    }

    @Override
    public String name() {
        return "tensorrt";
    }

    @Override
    public Optional<String> skipReason() {
        if (probeError != null) {
            return Optional.of(probeError);
        }
        return opener == null ? Optional.of("no TensorRT engine runner registered (TensorRtBackend.withOpener)")
                : Optional.empty();
    }

    @Override
    public ModelSession open(Path model, int threads) {
        skipReason().ifPresent(r -> {
            throw new IllegalStateException("TensorRT backend unavailable: " + r);
        });
        return opener.open(model, threads);
    }
}
