package io.ortune.tensorrt;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The JSON written beside an engine ({@code model.engine.json}): what it was built from and how, so a benchmark or
 * a deployment can tell whether an engine fits its model, GPU and TensorRT version. Keys are snake_case.
 *
 * <pre>{@code
 * manifest.write(Path.of("model.engine.json"));
 * EngineManifest m = EngineManifest.read(Path.of("model.engine.json"));
 * }</pre>
 *
 * @param format            {@value #FORMAT}
 * @param engine            the engine file name (beside the manifest)
 * @param engineBytes       its size
 * @param engineSha256      its sha256
 * @param sourceModel       the ONNX model as given
 * @param sourceSha256      the ONNX file's sha256
 * @param tensorrtVersion   the TensorRT library that built it
 * @param cudaRuntime       the CUDA runtime version
 * @param gpuName           the device it was built on (engines are specific to it)
 * @param computeCapability the device's {@code major.minor}
 * @param precision         fp32, fp16, bf16 or int8
 * @param stronglyTyped     whether the network was strongly typed (int8 from QDQ)
 * @param profiles          the optimization profile
 * @param workspaceMb       the workspace limit, or null for TensorRT's default
 * @param timingCache       the timing cache file used, or null
 * @param buildSeconds      wall time of parse + build + serialization
 * @param layerPrecisions   how many layers run in each precision
 * @param layers            each layer's output precision (empty when the inspector gave none)
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record EngineManifest(String format, String engine, long engineBytes, String engineSha256,
                             String sourceModel, String sourceSha256, String tensorrtVersion, String cudaRuntime,
                             String gpuName, String computeCapability, String precision, boolean stronglyTyped,
                             List<ProfileSpec> profiles, Long workspaceMb, String timingCache, double buildSeconds,
                             Map<String, Integer> layerPrecisions, List<LayerPrecision> layers) {

    public static final String FORMAT = "ortune-tensorrt-engine/1";

    private static final ObjectMapper JSON = new ObjectMapper()
            .setPropertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public EngineManifest {
        profiles = profiles == null ? List.of() : List.copyOf(profiles);
        layers = layers == null ? List.of() : List.copyOf(layers);
        layerPrecisions = layerPrecisions == null ? Map.of() : Map.copyOf(new TreeMap<>(layerPrecisions));
    }

    /** Layer counts per precision, sorted by precision name. */
    static Map<String, Integer> count(List<LayerPrecision> layers) {
        Map<String, Integer> counts = new TreeMap<>();
        for (LayerPrecision l : layers) {
            counts.merge(l.precision(), 1, Integer::sum);
        }
        return counts;
    }

    /** The manifest as JSON text (sorted precision counts, one key per line). */
    public String toJson() {
        try {
            Map<String, Object> tree = JSON.convertValue(this, JSON.getTypeFactory()
                    .constructMapType(java.util.LinkedHashMap.class, String.class, Object.class));
            tree.put("layer_precisions", new TreeMap<>(layerPrecisions));
            return JSON.writeValueAsString(tree) + "\n";
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("cannot write the engine manifest as JSON", e);
        }
    }

    /** Writes the manifest atomically (temporary file, then rename). */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    /** Reads a manifest; a file that is not one is reported with its path and the expected format. */
    public static EngineManifest read(Path file) throws IOException {
        ReadableFiles.file(file, "engine manifest");
        EngineManifest m;
        try {
            m = JSON.readValue(Files.readString(file), EngineManifest.class);
        } catch (IOException e) {
            throw new IOException(file + ": not an engine manifest (" + e.getMessage().lines().findFirst()
                    .orElse("") + ")", e);
        }
        if (!FORMAT.equals(m.format())) {
            throw new IOException(file + ": format is '" + m.format() + "', expected '" + FORMAT + "'");
        }
        return m;
    }
}
