package io.ortune.tensorrt;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads layer precisions out of {@code IEngineInspector::getEngineInformation(kJSON)}: an object whose
 * {@code Layers} array holds one object per layer with {@code Name} and {@code Outputs[].Format/Datatype}
 * ({@code "Row major linear FP16 format"}), or only names when the engine was built without detailed profiling
 * verbosity. The format is TensorRT's documented one; it has not yet been read from a real engine here.
 */
final class InspectorJson {

    private static final Pattern TYPE = Pattern.compile(
            "\\b(FP32|FP16|BF16|FP8|FP4|INT8|INT4|INT32|INT64|UINT8|BOOL|FLOAT|HALF)\\b");

    private InspectorJson() {
    }

    /** The layers and their output precisions; an unreadable document is reported, not guessed at. */
    static List<LayerPrecision> layers(String json) {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (IOException e) {
            throw new IllegalArgumentException("TensorRT's engine information is not JSON: " + e.getMessage(), e);
        }
        JsonNode layers = root == null ? null : root.get("Layers");
        if (layers == null || !layers.isArray()) {
            throw new IllegalArgumentException("TensorRT's engine information has no \"Layers\" array");
        }
        List<LayerPrecision> out = new ArrayList<>();
        for (JsonNode l : layers) {
            if (l.isTextual()) {
                out.add(new LayerPrecision(l.asText(), "unknown"));
            } else {
                out.add(new LayerPrecision(l.path("Name").asText("?"), precision(l.path("Outputs"))));
            }
        }
        return out;
    }

    private static String precision(JsonNode outputs) {
        if (!outputs.isArray() || outputs.isEmpty()) {
            return "unknown";
        }
        return precisionOf(outputs.get(0).path("Format/Datatype").asText(""));
    }

    /** The data type named in a {@code Format/Datatype} string, upper case; {@code unknown} when none. */
    static String precisionOf(String formatDatatype) {
        Matcher m = TYPE.matcher(formatDatatype.toUpperCase(Locale.ROOT));
        if (!m.find()) {
            return "unknown";
        }
        return switch (m.group(1)) {
            case "FLOAT" -> "FP32";
            case "HALF" -> "FP16";
            default -> m.group(1);
        };
    }
}
