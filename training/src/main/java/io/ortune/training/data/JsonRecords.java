package io.ortune.training.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Walks the records of a JSON Lines file (one value per non-blank line) or of a JSON array file, telling a
 * {@link Sink} each record with its 1-based line. A JSONL line that is not valid JSON goes to
 * {@link Sink#malformed}; in an array file a syntax error ends the walk with a {@link DataFormatException} (nothing
 * after it can be trusted).
 */
final class JsonRecords {

    /** Receives records. */
    interface Sink {
        void record(long line, JsonNode value);

        void malformed(long line, String message);
    }

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonRecords() {
    }

    /** Walks {@code file} as an array when its first non-blank character is {@code [}, else as JSON Lines. */
    static void walk(Path file, Sink sink) throws IOException {
        if (startsWithBracket(file)) {
            walkArray(file, sink);
        } else {
            walkLines(file, sink);
        }
    }

    private static boolean startsWithBracket(Path file) throws IOException {
        return DataFormat.firstNonSpace(file) == '[';
    }

    private static void walkLines(Path file, Sink sink) throws IOException {
        Utf8Lines.walk(file, (n, text) -> {
            if (text == null) {
                sink.malformed(n, Utf8Lines.NOT_UTF8);
                return true;
            }
            String line = n == 1 && text.startsWith("\uFEFF") ? text.substring(1) : text;
            if (line.isBlank()) {
                return true;
            }
            JsonNode value;
            try {
                value = MAPPER.readTree(line);
            } catch (JsonProcessingException e) {
                sink.malformed(n, "not valid JSON: " + e.getOriginalMessage());
                return true;
            }
            sink.record(n, value);
            return true;
        });
    }

    private static void walkArray(Path file, Sink sink) throws IOException {
        try (JsonParser p = MAPPER.createParser(file.toFile())) {
            p.nextToken();
            JsonToken t;
            while ((t = p.nextToken()) != JsonToken.END_ARRAY) {
                if (t == null) {
                    throw new DataFormatException(file, p.currentLocation().getLineNr(),
                            "the JSON array is not closed");
                }
                long line = p.currentLocation().getLineNr();
                JsonNode value = p.readValueAsTree();
                sink.record(line, value);
            }
        } catch (JsonProcessingException e) {
            long line = e.getLocation() == null ? 0 : e.getLocation().getLineNr();
            String what = e.getOriginalMessage();
            throw new DataFormatException(file, line, what != null && what.startsWith("Invalid UTF-8")
                    ? Utf8Lines.NOT_UTF8 + " (" + what + ")" : "not valid JSON: " + what);
        } catch (java.io.CharConversionException e) {
            // Jackson guessed UTF-16/32 from the leading bytes and found invalid characters (fuzz finding)
            throw new DataFormatException(file, 0, Utf8Lines.NOT_UTF8 + " (" + e.getMessage() + ")");
        }
    }
}
