package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.models.tokenizer.Tokenizer;

import java.util.Arrays;
import java.util.OptionalInt;

/**
 * Turns one JSON record into an untruncated {@link Example} for the JSON formats. A record that is malformed (a
 * missing or mistyped field, an id outside the vocabulary) throws {@link BadRecord}; one with nothing to learn from
 * returns null.
 */
final class RecordConverter {

    /** A malformed record; the message says which field and what is wrong. */
    static final class BadRecord extends Exception {
        private static final long serialVersionUID = 1L;

        BadRecord(String message) {
            super(message);
        }
    }

    private final DataFormat format;
    private final Tokenizer tokenizer;
    private final LoadOptions options;

    RecordConverter(DataFormat format, Tokenizer tokenizer, LoadOptions options) {
        this.format = format;
        this.tokenizer = tokenizer;
        this.options = options;
    }

    Example convert(JsonNode record) throws BadRecord {
        if (!record.isObject()) {
            throw new BadRecord("expected a JSON object, got " + record.getNodeType().name().toLowerCase());
        }
        switch (format) {
            case JSONL:
                return text(string(record, "text", true));
            case TOKENIZED:
                return tokenized(record);
            case ALPACA:
                return alpaca(record);
            default:
                throw new IllegalStateException("not a JSON format: " + format);
        }
    }

    private Example text(String text) {
        if (text.isEmpty()) {
            return null;
        }
        int[] ids = withEos(tokenizer.encode(text));
        return ids.length < 2 ? null : Example.causal(ids);
    }

    private Example alpaca(JsonNode r) throws BadRecord {
        String instruction = string(r, "instruction", true);
        String input = string(r, "input", false);
        String output = string(r, "output", true);
        int[] prompt = tokenizer.encode(AlpacaTemplate.prompt(instruction, input));
        int[] response = withEos(tokenizer.encode(output));
        if (response.length == 0) {
            return null;
        }
        int[] ids = Arrays.copyOf(prompt, prompt.length + response.length);
        System.arraycopy(response, 0, ids, prompt.length, response.length);
        int[] labels = ids.clone();
        Arrays.fill(labels, 0, prompt.length, Example.IGNORE);
        return new Example(ids, labels);
    }

    private Example tokenized(JsonNode r) throws BadRecord {
        int[] ids = ints(r, "input_ids", true, false);
        if (ids.length == 0) {
            return null;
        }
        int[] labels = r.has("labels") && !r.get("labels").isNull() ? ints(r, "labels", true, true) : ids.clone();
        if (labels.length != ids.length) {
            throw new BadRecord("'labels' has " + labels.length + " entries but 'input_ids' has " + ids.length);
        }
        return new Example(ids, labels);
    }

    private int[] withEos(int[] ids) {
        OptionalInt eos = tokenizer.eosId();
        if (!options.appendEos() || eos.isEmpty()) {
            return ids;
        }
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eos.getAsInt();
        return out;
    }

    private static String string(JsonNode r, String field, boolean required) throws BadRecord {
        JsonNode v = r.get(field);
        if (v == null || v.isNull()) {
            if (required) {
                throw new BadRecord("missing string field '" + field + "' (fields: " + DataFormat.fieldNames(r) + ")");
            }
            return "";
        }
        if (!v.isTextual()) {
            throw new BadRecord("field '" + field + "' must be a string, got " + v.getNodeType().name().toLowerCase());
        }
        return v.asText();
    }

    private int[] ints(JsonNode r, String field, boolean required, boolean labels) throws BadRecord {
        JsonNode v = r.get(field);
        if (v == null || !v.isArray()) {
            throw new BadRecord((v == null ? "missing" : "non-array") + " field '" + field
                    + "' (expected an array of integers)");
        }
        int[] out = new int[v.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = v.get(i);
            if (!e.canConvertToInt() || !e.isIntegralNumber()) {
                throw new BadRecord("'" + field + "'[" + i + "] is " + e + ", not an integer");
            }
            int id = e.asInt();
            boolean ignored = labels && id == Example.IGNORE;
            if (!ignored && (id < 0 || (options.vocabSize() > 0 && id >= options.vocabSize()))) {
                throw new BadRecord("'" + field + "'[" + i + "] = " + id + " is outside the vocabulary [0, "
                        + (options.vocabSize() > 0 ? options.vocabSize() : "∞") + ")"
                        + (labels ? " and is not -100" : ""));
            }
            out[i] = id;
        }
        return out;
    }
}
