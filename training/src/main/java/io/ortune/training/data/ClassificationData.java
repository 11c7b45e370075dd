package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reads sequence-classification records {@code {"text": ..., "label": N}} (JSON array or JSON Lines; N an integer in
 * {@code [0, numLabels)}) into examples. The text is tokenized with the tokenizer's special tokens (BERT's
 * {@code [CLS] text [SEP]}) and cut to {@code maxLength}. An example carries its class as label 0 and
 * {@value Example#IGNORE} elsewhere ({@link #example}, read back by {@link #label}).
 */
public final class ClassificationData {

    private ClassificationData() {
    }

    /** An example of {@code ids} with class {@code label}. */
    public static Example example(int[] ids, int label) {
        int[] labels = new int[ids.length];
        Arrays.fill(labels, Example.IGNORE);
        labels[0] = label;
        return new Example(ids, labels);
    }

    /** The class of an example made by {@link #example}. */
    public static int label(Example e) {
        return e.labels()[0];
    }

    /**
     * Reads {@code file}.
     *
     * @throws DataFormatException naming file and line for a record without {@code text} or with a bad label
     */
    public static List<Example> load(Path file, Tokenizer tokenizer, int maxLength, int numLabels) throws IOException {
        List<Example> out = new ArrayList<>();
        JsonRecords.walk(file, new JsonRecords.Sink() {
            @Override
            public void record(long line, JsonNode v) {
                JsonNode text = v.get("text");
                JsonNode label = v.get("label");
                if (text == null || !text.isTextual()) {
                    throw new DataFormatException(file, line, "classification record needs a string 'text'");
                }
                if (label == null || !label.isIntegralNumber() || label.asInt() < 0 || label.asInt() >= numLabels) {
                    throw new DataFormatException(file, line, "classification record needs an integer 'label' in [0, "
                            + numLabels + "), got " + label);
                }
                int[] ids = tokenizer.encode(text.asText(), true);
                if (ids.length == 0) {
                    throw new DataFormatException(file, line, "'text' gives no token");
                }
                out.add(example(ids.length > maxLength ? Arrays.copyOf(ids, maxLength) : ids, label.asInt()));
            }

            @Override
            public void malformed(long line, String message) {
                throw new DataFormatException(file, line, "not a JSON record: " + message);
            }
        });
        if (out.isEmpty()) {
            throw new DataFormatException(file, 0, "no classification record in the file");
        }
        return out;
    }
}
