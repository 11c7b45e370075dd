package io.ortune.models.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import java.util.OptionalInt;

/** Typed, checked reads of one JSON object of a config, naming the source and key in every error. */
final class ConfigJson {

    static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final ObjectNode node;
    private final String source;

    ConfigJson(ObjectNode node, String source) {
        this.node = node;
        this.source = source;
    }

    String source() {
        return source;
    }

    ObjectNode node() {
        return node;
    }

    /** True when {@code key} is present and not JSON null. */
    boolean has(String key) {
        JsonNode v = node.get(key);
        return v != null && !v.isNull();
    }

    /** True when {@code key} is present, even as JSON null (an explicit "none", distinct from a default). */
    boolean present(String key) {
        return node.has(key);
    }

    JsonNode get(String key) {
        return has(key) ? node.get(key) : null;
    }

    ConfigException error(String problem) {
        return new ConfigException(source, problem);
    }

    int requireInt(String key) {
        if (!has(key)) {
            throw error("missing required key '" + key + "'");
        }
        return intValue(key, node.get(key));
    }

    int intOr(String key, int fallback) {
        return has(key) ? intValue(key, node.get(key)) : fallback;
    }

    OptionalInt optInt(String key) {
        return has(key) ? OptionalInt.of(intValue(key, node.get(key))) : OptionalInt.empty();
    }

    /** An int or a list of ints (as {@code eos_token_id} may be); empty when absent. */
    List<Integer> intList(String key) {
        List<Integer> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        JsonNode v = node.get(key);
        if (v.isArray()) {
            for (JsonNode e : v) {
                out.add(intValue(key, e));
            }
        } else {
            out.add(intValue(key, v));
        }
        return out;
    }

    double doubleOr(String key, double fallback) {
        return has(key) ? doubleValue(key, node.get(key)) : fallback;
    }

    OptionalDouble optDouble(String key) {
        return has(key) ? OptionalDouble.of(doubleValue(key, node.get(key))) : OptionalDouble.empty();
    }

    double requireDouble(String key) {
        if (!has(key)) {
            throw error("missing required key '" + key + "'");
        }
        return doubleValue(key, node.get(key));
    }

    boolean boolOr(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isBoolean()) {
            throw error("'" + key + "' must be true or false, got " + v);
        }
        return v.booleanValue();
    }

    String stringOr(String key, String fallback) {
        if (!has(key)) {
            return fallback;
        }
        JsonNode v = node.get(key);
        if (!v.isTextual()) {
            throw error("'" + key + "' must be a string, got " + v);
        }
        return v.textValue();
    }

    /** A nested object, or null when absent/null. */
    ConfigJson object(String key) {
        if (!has(key)) {
            return null;
        }
        JsonNode v = node.get(key);
        if (!v.isObject()) {
            throw error("'" + key + "' must be an object, got " + v);
        }
        return new ConfigJson((ObjectNode) v, source + " (" + key + ")");
    }

    private int intValue(String key, JsonNode v) {
        if (!v.isIntegralNumber() || !v.canConvertToInt()) {
            throw error("'" + key + "' must be an integer, got " + v);
        }
        return v.intValue();
    }

    private double doubleValue(String key, JsonNode v) {
        if (!v.isNumber()) {
            throw error("'" + key + "' must be a number, got " + v);
        }
        return v.doubleValue();
    }

    /** Checks that {@code value} is positive, naming {@code key}. */
    static void requirePositive(String key, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(key + " must be positive, got " + value);
        }
    }

    /** Checks a probability in [0, 1). */
    static void requireProbability(String key, double value) {
        if (!(value >= 0 && value < 1)) {
            throw new IllegalArgumentException(key + " must be in [0, 1), got " + value);
        }
    }

    /** Checks that {@code act} is one of {@code supported}. */
    static void requireOneOf(String key, String act, List<String> supported) {
        if (!supported.contains(act)) {
            throw new IllegalArgumentException(key + " '" + act + "' is not supported (supported: "
                    + String.join(", ", supported) + ")");
        }
    }
}
