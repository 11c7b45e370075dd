package io.ortune.bench.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Where a model is timed. A backend that cannot run on this machine says why ({@link #skipReason()}); the runner
 * then records its results as skipped with that reason instead of failing.
 *
 * <pre>{@code
 * Backend b = Backend.parse("cpu");
 * try (ModelSession s = b.open(Path.of("model.onnx"), 2)) { ... }
 * }</pre>
 */
public sealed interface Backend permits OrtCpuBackend, OrtCudaBackend, TensorRtBackend {

    /** The names {@code --backend} accepts. */
    List<String> NAMES = List.of("cpu", "cuda", "tensorrt");

    /** {@code cpu}, {@code cuda} or {@code tensorrt}. */
    String name();

    /** Why this backend cannot run here, or empty when it can. */
    Optional<String> skipReason();

    /**
     * Opens {@code model} for timing with {@code threads} intra-op threads (0 = the runtime's choice).
     *
     * @throws IllegalStateException when {@link #skipReason()} is not empty
     */
    ModelSession open(Path model, int threads);

    /** The backend named {@code name} ({@code cpu}, {@code cuda}, {@code tensorrt}). */
    static Backend parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "cpu" -> new OrtCpuBackend();
            case "cuda" -> new OrtCudaBackend(0);
            case "tensorrt" -> TensorRtBackend.probing();
            default -> throw new IllegalArgumentException("unknown backend '" + name + "' for --backend (known: "
                    + NAMES + ")");
        };
    }
}
