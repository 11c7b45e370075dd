package io.ortune.tensorrt;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ortune compile} as a library call: {@link Preflight} (no device), then {@link GpuProbe}, then the build,
 * then the manifest. Without a GPU it stops after the preflight with {@link CompileException.Kind#DEVICE}, so a
 * bad profile or an int8 request on a model without QDQ is reported first on every machine.
 *
 * <pre>{@code
 * CompileSettings s = new CompileSettings(Path.of("model-int8.onnx"), Path.of("model.engine"), Precision.INT8,
 *         List.of(ProfileSpec.parse("input_ids:1x1,4x128,8x512")), OptionalLong.of(4096), Path.of("trt.cache"));
 * CompileResult r = TensorRtCompiler.compile(s, false);
 * System.out.println(r.manifest().layerPrecisions());
 * }</pre>
 */
public final class TensorRtCompiler {

    private TensorRtCompiler() {
    }

    /** What a successful compile wrote and said. */
    public record CompileResult(EngineManifest manifest, List<String> warnings) {
        public CompileResult {
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * Checks, probes, builds, writes {@code settings.engine()} and its manifest.
     *
     * @param verbose print TensorRT's info messages to stderr
     * @throws CompileException INPUT (nothing started), DEVICE (no GPU/TensorRT) or BUILD (TensorRT failed)
     */
    public static CompileResult compile(CompileSettings settings, boolean verbose) throws IOException {
        Preflight pre = Preflight.check(settings);
        GpuStatus gpu = GpuProbe.probe();
        if (gpu instanceof GpuStatus.Missing m) {
            throw new CompileException(CompileException.Kind.DEVICE, "cannot build a TensorRT engine on this"
                    + " machine: " + m.reason() + " (the model, profiles and QDQ passed every check that needs no"
                    + " GPU)", List.of());
        }
        GpuStatus.Ready ready = (GpuStatus.Ready) gpu;
        BuildPlan plan = BuildPlan.of(settings, settings.timingCache() != null
                && Files.exists(settings.timingCache()));
        EngineBuilder.Built built = new EngineBuilder(plan, verbose).build(pre);
        EngineManifest manifest = manifest(pre, ready, built);
        manifest.write(settings.manifest());
        List<String> warnings = new ArrayList<>(pre.warnings());
        warnings.addAll(built.warnings());
        return new CompileResult(manifest, warnings);
    }

    static EngineManifest manifest(Preflight pre, GpuStatus.Ready gpu, EngineBuilder.Built built) {
        CompileSettings s = pre.settings();
        return new EngineManifest(EngineManifest.FORMAT, s.engine().getFileName().toString(), built.engineBytes(),
                built.engineSha256(), s.model().toString(), pre.sourceSha256(), gpu.tensorRtVersion(),
                gpu.cudaRuntime(), gpu.gpuName(), gpu.computeCapability(), s.precision().cliName(),
                s.precision().stronglyTyped(), s.profiles(),
                s.workspaceMb().isPresent() ? s.workspaceMb().getAsLong() : null,
                s.timingCache() == null ? null : s.timingCache().toString(), built.buildSeconds(),
                EngineManifest.count(built.layers()), built.layers());
    }
}
