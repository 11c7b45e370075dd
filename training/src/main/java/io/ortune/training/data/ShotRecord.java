package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One demonstration or query of a few-shot recipe: the rendered prompt and the response that should follow it, with
 * the 1-based line it came from. Read from an Alpaca record ({@code instruction}, optional {@code input},
 * {@code output}; prompt = {@link AlpacaTemplate}), a {@code {"prompt", "response"}} record (the prompt is used as the
 * Alpaca instruction) or a {@code {"text"}} record (the whole text, no response).
 */
public record ShotRecord(String prompt, String response, long line) {

    /** The demonstration as it appears in a few-shot prompt: prompt followed by its response. */
    public String rendered() {
        return prompt + response;
    }

    /**
     * Reads every record of {@code file} (JSON array or JSON Lines).
     *
     * @throws DataFormatException naming {@code file:line} for a record that is not one of the three shapes, or for
     *     a file with no record
     */
    public static List<ShotRecord> load(Path file) throws IOException {
        List<ShotRecord> out = new ArrayList<>();
        JsonRecords.walk(file, new JsonRecords.Sink() {
            @Override
            public void record(long line, JsonNode value) {
                out.add(parse(file, line, value));
            }

            @Override
            public void malformed(long line, String message) {
                throw new DataFormatException(file, line, message);
            }
        });
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no record in the file (expected Alpaca instruction/input/output, "
                    + "prompt/response or text records)");
        }
        return out;
    }

    static ShotRecord parse(Path file, long line, JsonNode r) {
        if (!r.isObject()) {
            throw new DataFormatException(file, line, "expected a JSON object, got "
                    + r.getNodeType().name().toLowerCase());
        }
        if (r.has("instruction")) {
            String input = string(file, line, r, "input", false);
            return new ShotRecord(AlpacaTemplate.prompt(string(file, line, r, "instruction", true), input),
                    string(file, line, r, "output", true), line);
        }
        if (r.has("prompt")) {
            return new ShotRecord(AlpacaTemplate.prompt(string(file, line, r, "prompt", true), null),
                    string(file, line, r, "response", true), line);
        }
        if (r.has("text")) {
            return new ShotRecord(string(file, line, r, "text", true), "", line);
        }
        throw new DataFormatException(file, line, "record has fields " + DataFormat.fieldNames(r)
                + ", expected instruction/input/output, prompt/response or text");
    }

    private static String string(Path file, long line, JsonNode r, String field, boolean required) {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new DataFormatException(file, line, "missing string field '" + field + "' (fields: "
                        + DataFormat.fieldNames(r) + ")");
            }
            return null;
        }
        if (!v.isTextual()) {
            throw new DataFormatException(file, line, "field '" + field + "' must be a string, got "
                    + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }
}
