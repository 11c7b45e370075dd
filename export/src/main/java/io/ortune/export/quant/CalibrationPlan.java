package io.ortune.export.quant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What calibration measured and chose, per activation: an inspectable JSON file that {@link QdqPass} applies.
 *
 * <pre>{"format":"ortune-calibration-plan","version":1,"method":"minmax","target":"tensorrt","samples":8,
 *  "percentile":99.99,"tensors":[{"tensor":"...","min":-3.1,"max":2.9,"threshold":3.1,"scale":0.0244,
 *  "zero_point":0,"dtype":"int8"}]}</pre>
 *
 * @param method     calibration method
 * @param target     placement rules the ranges were measured for
 * @param samples    rows run
 * @param percentile the percentile used by {@link CalibrationMethod#PERCENTILE}
 * @param tensors    one range per activation, in graph order
 */
public record CalibrationPlan(CalibrationMethod method, QuantTarget target, int samples, double percentile,
                              List<TensorRange> tensors) {

    static final String FORMAT = "ortune-calibration-plan";
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public CalibrationPlan {
        tensors = List.copyOf(tensors);
    }

    /** The range of {@code tensor}, if planned. */
    public Optional<TensorRange> range(String tensor) {
        return tensors.stream().filter(t -> t.tensor().equals(tensor)).findFirst();
    }

    /** The plan as JSON text. */
    public String toJson() {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", FORMAT).put("version", 1).put("method", method.cliName()).put("target", target.cliName())
                .put("samples", samples).put("percentile", percentile);
        ArrayNode arr = root.putArray("tensors");
        for (TensorRange t : tensors) {
            arr.addObject().put("tensor", t.tensor()).put("min", t.min()).put("max", t.max())
                    .put("threshold", t.threshold()).put("scale", t.scale()).put("zero_point", t.zeroPoint())
                    .put("dtype", t.dtype());
        }
        try {
            return JSON.writeValueAsString(root) + "\n";
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes the plan atomically. */
    public void write(Path file) throws IOException {
        AtomicFiles.writeString(file, toJson());
    }

    /** Reads a plan, naming the file and key of anything missing or wrong. */
    public static CalibrationPlan read(Path file) throws IOException {
        JsonNode root;
        try {
            root = JSON.readTree(ReadableFiles.file(file, "calibration plan").toFile());
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalArgumentException(file + ": not JSON (" + e.getOriginalMessage() + ")");
        }
        if (root == null || !FORMAT.equals(root.path("format").asText())) {
            throw new IllegalArgumentException(file + ": key 'format' must be \"" + FORMAT + "\"");
        }
        try {
            List<TensorRange> ts = new ArrayList<>();
            Map<String, Boolean> seen = new LinkedHashMap<>();
            for (JsonNode t : required(root, "tensors", file)) {
                String name = required(t, "tensor", file).asText();
                if (seen.put(name, true) != null) {
                    throw new IllegalArgumentException(file + ": tensor '" + name + "' is planned twice");
                }
                ts.add(new TensorRange(name, required(t, "min", file).asDouble(), required(t, "max", file).asDouble(),
                        required(t, "threshold", file).asDouble(), (float) required(t, "scale", file).asDouble(),
                        required(t, "zero_point", file).asInt(), required(t, "dtype", file).asText()));
            }
            return new CalibrationPlan(CalibrationMethod.parse(required(root, "method", file).asText()),
                    QuantTarget.parse(required(root, "target", file).asText()), required(root, "samples", file)
                    .asInt(), required(root, "percentile", file).asDouble(), ts);
        } catch (IllegalArgumentException e) {
            throw e.getMessage().startsWith(file.toString()) ? e
                    : new IllegalArgumentException(file + ": " + e.getMessage(), e);
        }
    }

    private static JsonNode required(JsonNode obj, String key, Path file) {
        JsonNode v = obj.get(key);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(file + ": key '" + key + "' is missing");
        }
        return v;
    }
}
