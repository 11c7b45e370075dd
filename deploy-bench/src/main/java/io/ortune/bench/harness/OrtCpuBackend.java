package io.ortune.bench.harness;

import io.ortune.runtime.ExecutionProvider;
import io.ortune.runtime.OrtRuntime;
import io.ortune.runtime.SessionOptions;

import java.nio.file.Path;
import java.util.Optional;

/** ONNX Runtime's CPU execution provider: any ONNX model (fp32, int8 QDQ or dynamic, int4, NF4, with adapters). */
public record OrtCpuBackend() implements Backend {

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public Optional<String> skipReason() {
        return OrtRuntime.isAvailable() ? Optional.empty() : Optional.of("ONNX Runtime's native library did not load");
    }

    @Override
    public ModelSession open(Path model, int threads) {
        return OrtModelSession.open(model, options(threads));
    }

    /** The session options a timed CPU session uses. */
    public SessionOptions options(int threads) {
        return OrtBackends.options(ExecutionProvider.CPU, 0, threads);
    }
}
