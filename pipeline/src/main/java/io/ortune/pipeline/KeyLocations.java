package io.ortune.pipeline;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;

/**
 * Where each key of a YAML document is ({@code train.lr} → line 12, column 3), so that a check run after parsing can
 * still name the line of what it rejects. Array elements are keyed by index ({@code quantize.modes.1}).
 */
final class KeyLocations {

    /** A 1-based line and column. */
    record Location(int line, int column) {
        @Override
        public String toString() {
            return "line " + line + ", column " + column;
        }
    }

    private final Map<String, Location> locations;

    private KeyLocations(Map<String, Location> locations) {
        this.locations = locations;
    }

    static KeyLocations of(String yaml) throws IOException {
        Map<String, Location> out = new HashMap<>();
        try (JsonParser p = new YAMLFactory().createParser(yaml)) {
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                JsonStreamContext c = p.getParsingContext();
                boolean element = c.inArray() && t != JsonToken.END_ARRAY && t != JsonToken.END_OBJECT;
                if (t == JsonToken.FIELD_NAME || element) {
                    JsonLocation l = p.currentTokenLocation();
                    out.putIfAbsent(path(t.isStructStart() ? c.getParent() : c),
                            new Location(l.getLineNr(), l.getColumnNr()));
                }
            }
        }
        return new KeyLocations(out);
    }

    private static String path(JsonStreamContext c) {
        Deque<String> parts = new ArrayDeque<>();
        for (; c != null && !c.inRoot(); c = c.getParent()) {
            parts.addFirst(c.inObject() ? String.valueOf(c.getCurrentName()) : Integer.toString(c.getCurrentIndex()));
        }
        return String.join(".", parts);
    }

    /** The location of {@code key}, or of its nearest enclosing key that has one, or null. */
    Location find(String key) {
        String k = key;
        while (k != null) {
            Location l = locations.get(k);
            if (l != null) {
                return l;
            }
            int dot = k.lastIndexOf('.');
            k = dot < 0 ? null : k.substring(0, dot);
        }
        return null;
    }

    /** {@code line L, column C} of {@code key}, or empty. */
    String where(String key) {
        Location l = find(key);
        return l == null ? "" : l.toString();
    }
}
