package io.ortune.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Typed reads of JSON keys that name the full key path ({@code results[2].latency_ms.p50}) and the file when a key
 * is missing or of the wrong type.
 *
 * @param file the file being read, for messages
 */
record Reader(Path file) {

    private JsonNode get(JsonNode parent, String path) {
        String key = path.substring(path.lastIndexOf('.') + 1);
        JsonNode v = parent == null ? null : parent.get(key);
        if (v == null || v.isNull()) {
            throw fail(path, "is missing");
        }
        return v;
    }

    IllegalArgumentException fail(String path, String what) {
        return new IllegalArgumentException(file + ": key \"" + path + "\" " + what);
    }

    JsonNode object(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.isObject()) {
            throw fail(path, "must be an object, got " + v.getNodeType());
        }
        return v;
    }

    JsonNode array(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.isArray()) {
            throw fail(path, "must be an array, got " + v.getNodeType());
        }
        return v;
    }

    String text(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.isTextual()) {
            throw fail(path, "must be a string, got " + v);
        }
        return v.asText();
    }

    double number(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.isNumber()) {
            throw fail(path, "must be a number, got " + v);
        }
        return v.asDouble();
    }

    int integer(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.canConvertToInt() || !v.isIntegralNumber()) {
            throw fail(path, "must be an integer, got " + v);
        }
        return v.asInt();
    }

    boolean bool(JsonNode parent, String path) {
        JsonNode v = get(parent, path);
        if (!v.isBoolean()) {
            throw fail(path, "must be true or false, got " + v);
        }
        return v.asBoolean();
    }

    List<String> strings(JsonNode parent, String path) {
        JsonNode v = array(parent, path);
        List<String> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isTextual()) {
                throw fail(path + "[" + i + "]", "must be a string, got " + v.get(i));
            }
            out.add(v.get(i).asText());
        }
        return out;
    }

    List<Integer> ints(JsonNode parent, String path) {
        JsonNode v = array(parent, path);
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < v.size(); i++) {
            if (!v.get(i).isIntegralNumber()) {
                throw fail(path + "[" + i + "]", "must be an integer, got " + v.get(i));
            }
            out.add(v.get(i).asInt());
        }
        return out;
    }
}
