package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** The training data formats {@link DatasetLoader} reads, and detection from a file's first record. */
public enum DataFormat {
    /** Plain UTF-8 text, tokenized as a whole and cut into blocks. */
    TEXT,
    /** JSON Lines, one object per line with a string field {@code text}. */
    JSONL,
    /** JSON Lines with {@code input_ids} (int array) and optionally {@code labels} (same length, -100 = ignored). */
    TOKENIZED,
    /** Instruction data with Alpaca's {@code instruction}, {@code input}, {@code output}: a JSON array or JSONL. */
    ALPACA;

    /** The format spelled {@code name} (case-insensitive): text, jsonl, tokenized or alpaca. */
    public static DataFormat parse(String name) {
        try {
            return valueOf(name.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown data format '" + name + "' (known: text, jsonl, tokenized, "
                    + "alpaca)", e);
        }
    }

    /**
     * Guesses the format of {@code file}: a {@code .txt} file, or one whose first character is not {@code [} or
     * <code>{</code>, is text; otherwise the fields of the first record decide ({@code input_ids} → tokenized,
     * {@code instruction} → alpaca, {@code text} → jsonl).
     *
     * @throws DataFormatException when the first record has none of those fields
     */
    public static DataFormat detect(Path file) throws IOException {
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        if (name.endsWith(".txt")) {
            return TEXT;
        }
        int first = firstNonSpace(file);
        if (first != '[' && first != '{') {
            return TEXT;
        }
        JsonNode record = first == '[' ? firstArrayElement(file) : firstLine(file);
        if (record == null || !record.isObject()) {
            throw new DataFormatException(file, 1, "cannot tell the data format: the first record is not a JSON "
                    + "object (give --format)");
        }
        if (record.has("input_ids")) {
            return TOKENIZED;
        }
        if (record.has("instruction")) {
            return ALPACA;
        }
        if (record.has("text")) {
            return JSONL;
        }
        throw new DataFormatException(file, 1, "cannot tell the data format: the first record has fields "
                + fieldNames(record) + ", none of text, input_ids, instruction (give --format)");
    }

    /** The first byte of {@code file} that is not ASCII white space or part of a UTF-8 byte-order mark; -1 if none. */
    static int firstNonSpace(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file))) {
            int c;
            int offset = 0;
            while ((c = in.read()) != -1) {
                boolean bom = offset < 3 && c == BOM[offset];
                offset++;
                if (!bom && c != ' ' && c != '\t' && c != '\n' && c != '\r' && c != '\f') {
                    return c;
                }
            }
        }
        return -1;
    }

    private static final int[] BOM = {0xEF, 0xBB, 0xBF};

    /** The first non-blank UTF-8 line as JSON; lines that are not UTF-8 are passed over (the loader reports them). */
    private static JsonNode firstLine(Path file) throws IOException {
        JsonNode[] found = new JsonNode[1];
        Utf8Lines.walk(file, (n, text) -> {
            if (text == null || text.isBlank()) {
                return true;
            }
            try {
                found[0] = new ObjectMapper().readTree(text.startsWith("\uFEFF") ? text.substring(1) : text);
            } catch (IOException e) {
                found[0] = null;
            }
            return false;
        });
        return found[0];
    }

    private static JsonNode firstArrayElement(Path file) throws IOException {
        try (var parser = new ObjectMapper().createParser(file.toFile())) {
            parser.nextToken();
            if (parser.nextToken() == null) {
                return null;
            }
            return parser.readValueAsTree();
        } catch (IOException e) {
            return null;
        }
    }

    static String fieldNames(JsonNode o) {
        StringBuilder s = new StringBuilder("[");
        o.fieldNames().forEachRemaining(f -> s.append(s.length() > 1 ? ", " : "").append(f));
        return s.append(']').toString();
    }
}
