package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads preference pairs from a JSON array or JSON Lines file. Each record is one of:
 * <ul>
 *   <li>{@code prompt}, {@code chosen}, {@code rejected} (text);</li>
 *   <li>Alpaca {@code instruction}, optional {@code input}, with {@code chosen}, {@code rejected} (the shape of the
 *       bundled {@code instruction-data-with-preference.json}); the prompt is {@link AlpacaTemplate#prompt};</li>
 *   <li>pre-tokenized {@code prompt_ids}, {@code chosen_ids}, {@code rejected_ids} (used as given).</li>
 * </ul>
 * Each sequence is the prompt's tokens followed by the response's, tokenized separately as TRL does; a text
 * response gets the tokenizer's end-of-sequence id appended when it has one. With {@code specialTokens} the prompt
 * is encoded with the tokenizer's own special tokens (for BERT-style encoders: {@code [CLS] prompt [SEP]}). A
 * sequence over {@code maxLength} keeps its last {@code maxLength} tokens, so the response's end survives (TRL's
 * {@code keep_end}). A record missing a field fails with a {@link DataFormatException} naming the file, line and
 * field.
 */
public final class PreferenceData {

    /**
     * What was read.
     *
     * @param pairs     the pairs in file order
     * @param truncated sequences (chosen or rejected) cut to {@code maxLength}
     */
    public record Loaded(List<PreferencePair> pairs, int truncated) { }

    private PreferenceData() {
    }

    /**
     * Reads {@code file}.
     *
     * @param tokenizer     tokenizes text records (may be null when every record is pre-tokenized)
     * @param maxLength     the longest sequence kept, at least 2
     * @param specialTokens encode the prompt with the tokenizer's special tokens
     * @throws DataFormatException when a record is malformed, lacks a field or the file holds no record
     */
    public static Loaded load(Path file, Tokenizer tokenizer, int maxLength, boolean specialTokens)
            throws IOException {
        if (maxLength < 2) {
            throw new IllegalArgumentException("maxLength must be at least 2, got " + maxLength);
        }
        List<PreferencePair> pairs = new ArrayList<>();
        int[] truncated = {0};
        JsonRecords.walk(file, new JsonRecords.Sink() {
            @Override
            public void record(long line, JsonNode v) {
                pairs.add(pair(file, line, v, tokenizer, maxLength, specialTokens, truncated));
            }

            @Override
            public void malformed(long line, String message) {
                throw new DataFormatException(file, line, "not a JSON record: " + message);
            }
        });
        if (pairs.isEmpty()) {
            throw new DataFormatException(file, 0, "no preference record in the file");
        }
        return new Loaded(List.copyOf(pairs), truncated[0]);
    }

    private static PreferencePair pair(Path file, long line, JsonNode v, Tokenizer tok, int max, boolean special,
                                       int[] truncated) {
        if (!v.isObject()) {
            throw new DataFormatException(file, line, "a preference record must be a JSON object, got "
                    + v.getNodeType());
        }
        int[] prompt;
        int[] chosen;
        int[] rejected;
        if (v.has("prompt_ids") || v.has("chosen_ids") || v.has("rejected_ids")) {
            prompt = ids(file, line, v, "prompt_ids", tok);
            chosen = ids(file, line, v, "chosen_ids", tok);
            rejected = ids(file, line, v, "rejected_ids", tok);
        } else {
            Tokenizer t = requireTokenizer(file, line, tok);
            String promptText;
            if (v.has("prompt")) {
                promptText = text(file, line, v, "prompt");
            } else if (v.has("instruction")) {
                JsonNode input = v.get("input");
                promptText = AlpacaTemplate.prompt(text(file, line, v, "instruction"),
                        input == null || input.isNull() ? null : input.asText());
            } else {
                throw new DataFormatException(file, line, "record has neither 'prompt' nor 'instruction' nor "
                        + "'prompt_ids' (fields: " + fields(v) + ")");
            }
            prompt = special ? t.encode(promptText, true) : t.encode(promptText);
            chosen = withEos(t.encode(text(file, line, v, "chosen")), t.eosId());
            rejected = withEos(t.encode(text(file, line, v, "rejected")), t.eosId());
        }
        int[] c = concat(prompt, chosen);
        int[] r = concat(prompt, rejected);
        if (c.length == 0 || r.length == 0) {
            throw new DataFormatException(file, line, "record gives an empty sequence");
        }
        if (c.length > max) {
            c = Arrays.copyOfRange(c, c.length - max, c.length);
            truncated[0]++;
        }
        if (r.length > max) {
            r = Arrays.copyOfRange(r, r.length - max, r.length);
            truncated[0]++;
        }
        return new PreferencePair(c, r);
    }

    private static Tokenizer requireTokenizer(Path file, long line, Tokenizer tok) {
        if (tok == null) {
            throw new DataFormatException(file, line, "text record but no tokenizer given (give one, or use "
                    + "'prompt_ids', 'chosen_ids', 'rejected_ids')");
        }
        return tok;
    }

    private static String text(Path file, long line, JsonNode v, String field) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            throw new DataFormatException(file, line, "preference record lacks '" + field + "' (fields: " + fields(v)
                    + ")");
        }
        if (!n.isTextual()) {
            throw new DataFormatException(file, line, "'" + field + "' must be a string, got " + n.getNodeType());
        }
        return n.asText();
    }

    private static int[] ids(Path file, long line, JsonNode v, String field, Tokenizer tok) {
        JsonNode n = v.get(field);
        if (n == null || n.isNull()) {
            throw new DataFormatException(file, line, "pre-tokenized preference record lacks '" + field
                    + "' (fields: " + fields(v) + ")");
        }
        if (!n.isArray()) {
            throw new DataFormatException(file, line, "'" + field + "' must be an array of token ids");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.canConvertToInt() || !e.isIntegralNumber() || e.asInt() < 0
                    || (tok != null && e.asInt() >= tok.vocabSize())) {
                throw new DataFormatException(file, line, "'" + field + "'[" + i + "] = " + e + " is not a token id"
                        + (tok == null ? " (>= 0)" : " in [0, " + tok.vocabSize() + ")"));
            }
            out[i] = e.asInt();
        }
        return out;
    }

    private static List<String> fields(JsonNode v) {
        List<String> f = new ArrayList<>();
        v.fieldNames().forEachRemaining(f::add);
        return f;
    }

    private static int[] withEos(int[] ids, OptionalInt eos) {
        if (eos.isEmpty()) {
            return ids;
        }
        int[] out = Arrays.copyOf(ids, ids.length + 1);
        out[ids.length] = eos.getAsInt();
        return out;
    }

    private static int[] concat(int[] a, int[] b) {
        int[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
