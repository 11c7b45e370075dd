package io.ortune.models.weights;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Parses and validates the JSON header of a safetensors file, collecting every problem rather than stopping at the
 * first, so one error message describes everything wrong with a file.
 */
final class SafetensorsHeader {

    static final String METADATA_KEY = "__metadata__";

    static final JsonMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    /** Validated header content: entries by name (sorted) and the string metadata. */
    record Parsed(Map<String, SafetensorsEntry> entries, Map<String, String> metadata) {
    }

    private final Path file;
    private final long dataLength;
    private final List<SafetensorsFormatException.Issue> issues = new ArrayList<>();

    private SafetensorsHeader(Path file, long dataLength) {
        this.file = file;
        this.dataLength = dataLength;
    }

    /**
     * Parses {@code header} (the JSON bytes) of {@code file}, whose data region holds {@code dataLength} bytes.
     *
     * @throws SafetensorsFormatException listing every problem found
     */
    static Parsed parse(Path file, byte[] header, long dataLength) throws SafetensorsFormatException {
        return new SafetensorsHeader(file, dataLength).parse(header);
    }

    private Parsed parse(byte[] header) throws SafetensorsFormatException {
        JsonNode root;
        try {
            root = JSON.readTree(header);
        } catch (JsonProcessingException e) {
            throw new SafetensorsFormatException(file, null,
                    "header is not JSON: " + e.getOriginalMessage(), e);
        } catch (java.io.IOException e) {
            throw new SafetensorsFormatException(file, null, "header is not JSON: " + e.getMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new SafetensorsFormatException(file, null, "header is not a JSON object but "
                    + (root == null ? "empty" : root.getNodeType().toString().toLowerCase(java.util.Locale.ROOT)));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        Map<String, SafetensorsEntry> entries = new TreeMap<>();
        for (Map.Entry<String, JsonNode> field : root.properties()) {
            if (field.getKey().equals(METADATA_KEY)) {
                readMetadata(field.getValue(), metadata);
            } else {
                SafetensorsEntry e = readEntry(field.getKey(), field.getValue());
                if (e != null) {
                    entries.put(e.name(), e);
                }
            }
        }
        checkOverlaps(entries);
        if (!issues.isEmpty()) {
            throw new SafetensorsFormatException(file, issues, null);
        }
        return new Parsed(entries, metadata);
    }

    private void readMetadata(JsonNode node, Map<String, String> out) {
        if (!node.isObject()) {
            issue(null, METADATA_KEY + " must be an object of strings, not " + kind(node));
            return;
        }
        for (Map.Entry<String, JsonNode> f : node.properties()) {
            if (!f.getValue().isTextual()) {
                issue(null, METADATA_KEY + " value for '" + f.getKey() + "' must be a string, not "
                        + kind(f.getValue()));
            } else {
                out.put(f.getKey(), f.getValue().textValue());
            }
        }
    }

    /** Reads one tensor entry, recording its problems; null when it is unusable. */
    private SafetensorsEntry readEntry(String name, JsonNode node) {
        if (!node.isObject()) {
            issue(name, "entry must be an object with dtype, shape and data_offsets, not " + kind(node));
            return null;
        }
        int before = issues.size();
        SafetensorsDType dtype = readDtype(name, node.get("dtype"));
        long[] shape = readLongs(name, node.get("shape"), "shape", -1);
        long[] offsets = readLongs(name, node.get("data_offsets"), "data_offsets", 2);
        boolean offsetsOk = false;
        if (offsets != null) {
            long begin = offsets[0];
            long end = offsets[1];
            if (end < begin) {
                issue(name, "data_offsets end " + end + " < start " + begin);
            } else if (end > dataLength) {
                issue(name, "data_offsets [" + begin + ", " + end + "] are out of the data region, which has "
                        + dataLength + " bytes");
            } else {
                offsetsOk = true;
            }
        }
        if (dtype != null && shape != null && offsetsOk) {
            checkByteLength(name, dtype, shape, offsets[1] - offsets[0]);
        }
        if (issues.size() > before) {
            return null;
        }
        return new SafetensorsEntry(name, dtype, shape, offsets[0], offsets[1]);
    }

    private SafetensorsDType readDtype(String name, JsonNode node) {
        if (node == null) {
            issue(name, "missing dtype");
            return null;
        }
        if (!node.isTextual()) {
            issue(name, "dtype must be a string, not " + kind(node));
            return null;
        }
        return SafetensorsDType.fromHeader(node.textValue()).orElseGet(() -> {
            issue(name, "unknown dtype '" + node.textValue() + "' (supported: " + SafetensorsDType.supportedNames()
                    + ")");
            return null;
        });
    }

    /** An array of non-negative integers ({@code length} of them unless it is -1), or null after an issue. */
    private long[] readLongs(String name, JsonNode node, String key, int length) {
        if (node == null) {
            issue(name, "missing " + key);
            return null;
        }
        String want = length < 0 ? "an array of non-negative integers" : "an array of " + length
                + " non-negative integers";
        if (!node.isArray() || (length >= 0 && node.size() != length)) {
            issue(name, key + " must be " + want + ", not " + node);
            return null;
        }
        long[] out = new long[node.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode v = node.get(i);
            if (!v.isIntegralNumber() || !v.canConvertToLong() || v.longValue() < 0) {
                issue(name, key + " must be " + want + ", not " + node);
                return null;
            }
            out[i] = v.longValue();
        }
        return out;
    }

    private void checkByteLength(String name, SafetensorsDType dtype, long[] shape, long actual) {
        long product = 1;
        try {
            for (long d : shape) {
                product = Math.multiplyExact(product, d);
            }
            long expected = Math.multiplyExact(product, (long) dtype.byteWidth());
            if (expected != actual) {
                issue(name, "byte length " + actual + " != dtype size " + dtype.byteWidth() + " (" + dtype
                        + ") x shape product " + product + " " + java.util.Arrays.toString(shape) + " = " + expected);
            }
        } catch (ArithmeticException e) {
            issue(name, "shape " + java.util.Arrays.toString(shape) + " overflows a 64-bit byte count");
        }
    }

    private void checkOverlaps(Map<String, SafetensorsEntry> entries) {
        List<SafetensorsEntry> byOffset = new ArrayList<>();
        for (SafetensorsEntry e : entries.values()) {
            if (e.byteLength() > 0) {
                byOffset.add(e);
            }
        }
        byOffset.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparing(SafetensorsEntry::name));
        SafetensorsEntry reach = null;
        for (SafetensorsEntry e : byOffset) {
            if (reach != null && e.begin() < reach.end()) {
                issue(e.name(), "bytes [" + e.begin() + ", " + e.end() + ") overlap tensor '" + reach.name()
                        + "' at [" + reach.begin() + ", " + reach.end() + ")");
            }
            if (reach == null || e.end() > reach.end()) {
                reach = e;
            }
        }
    }

    private void issue(String tensor, String problem) {
        issues.add(new SafetensorsFormatException.Issue(tensor, problem));
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().toString().toLowerCase(java.util.Locale.ROOT);
    }
}
