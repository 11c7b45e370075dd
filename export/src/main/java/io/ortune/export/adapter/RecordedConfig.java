package io.ortune.export.adapter;

import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.PeftConfigs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Typed reads of an adapter's config as recorded in model metadata ({@link AdapterInfo#config()}: PEFT key names,
 * string values, as {@link PeftConfigs} writes them), each failure naming the adapter and key.
 */
final class RecordedConfig {

    private final AdapterInfo info;

    RecordedConfig(AdapterInfo info) {
        this.info = info;
    }

    String source() {
        return "model metadata of adapter '" + info.name() + "'";
    }

    boolean has(String key) {
        String v = info.config().get(key);
        return v != null && !v.isEmpty() && !v.equals("null");
    }

    String string(String key, String fallback) {
        return has(key) ? info.config().get(key) : fallback;
    }

    int integer(String key, int fallback) {
        if (!has(key)) {
            return fallback;
        }
        try {
            return Integer.parseInt(info.config().get(key).trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(source(), key + ": '" + info.config().get(key) + "' is not an integer");
        }
    }

    double number(String key, double fallback) {
        if (!has(key)) {
            return fallback;
        }
        try {
            return Double.parseDouble(info.config().get(key).trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(source(), key + ": '" + info.config().get(key) + "' is not a number");
        }
    }

    boolean bool(String key, boolean fallback) {
        if (!has(key)) {
            return fallback;
        }
        String v = info.config().get(key).trim();
        if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
            return Boolean.parseBoolean(v);
        }
        throw new AdapterException(source(), key + ": '" + v + "' is not true or false");
    }

    List<String> list(String key) {
        List<String> out = new ArrayList<>();
        if (!has(key)) {
            return out;
        }
        String v = info.config().get(key).trim();
        if (v.startsWith("[")) {
            v = v.substring(1, v.length() - (v.endsWith("]") ? 1 : 0));
        }
        for (String s : v.split(",")) {
            String t = s.trim().replace("\"", "");
            if (!t.isEmpty()) {
                out.add(t);
            }
        }
        return out;
    }

    List<Integer> layers(String key) {
        if (!has(key)) {
            return List.of();
        }
        String v = info.config().get(key).trim();
        if (v.startsWith("[")) {
            v = v.substring(1, v.length() - (v.endsWith("]") ? 1 : 0));
        }
        try {
            return new ArrayList<>(LayerRange.parse(v).indices());
        } catch (IllegalArgumentException e) {
            throw new AdapterException(source(), key + ": " + e.getMessage());
        }
    }

    /** A pattern map ({@code rank_pattern}, {@code alpha_pattern}) in {@link PeftConfigs#encodePattern} form. */
    Map<String, String> pattern(String key) {
        if (!has(key)) {
            return new LinkedHashMap<>();
        }
        try {
            return PeftConfigs.decodePattern(info.config().get(key).trim());
        } catch (IllegalArgumentException e) {
            throw new AdapterException(source(), key + ": " + e.getMessage());
        }
    }
}
