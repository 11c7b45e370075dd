package io.ortune.bench.harness;

import io.ortune.runtime.ExecutionProvider;
import io.ortune.runtime.OrtRuntime;
import io.ortune.runtime.SessionOptions;

import java.nio.file.Path;
import java.util.Optional;

/**
 * ONNX Runtime's CUDA execution provider on GPU {@code deviceId}. Skipped, with the reason, when this ONNX Runtime
 * build has no CUDA provider (the default CPU build; the GPU build comes with {@code -Pgpu}) or no GPU is present.
 *
 * @param deviceId the CUDA device ordinal
 */
public record OrtCudaBackend(int deviceId) implements Backend {

    public OrtCudaBackend {
        if (deviceId < 0) {
            throw new IllegalArgumentException("CUDA device id must be >= 0, got " + deviceId);
        }
    }

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public Optional<String> skipReason() {
        if (!OrtRuntime.isAvailable()) {
            return Optional.of("ONNX Runtime's native library did not load");
        }
        OrtRuntime rt = OrtRuntime.get();
        if (!rt.hasProvider(ExecutionProvider.CUDA)) {
            return Optional.of("this ONNX Runtime build has no CUDAExecutionProvider (available: "
                    + rt.availableProviders() + "; the GPU build comes with -Pgpu)");
        }
        return GpuProbe.probe().device() == null ? Optional.of("no NVIDIA GPU (no /dev/nvidia0)") : Optional.empty();
    }

    @Override
    public ModelSession open(Path model, int threads) {
        skipReason().ifPresent(r -> {
            throw new IllegalStateException("CUDA backend unavailable: " + r);
        });
        return OrtModelSession.open(model, options(threads));
    }

    /** The session options a timed CUDA session uses. */
    public SessionOptions options(int threads) {
        return OrtBackends.options(ExecutionProvider.CUDA, deviceId, threads);
    }
}
