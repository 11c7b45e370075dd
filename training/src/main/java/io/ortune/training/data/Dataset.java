package io.ortune.training.data;

import java.util.List;

/**
 * Examples read from one file, with what the reading did.
 *
 * @param examples the examples, in file order
 * @param report   counts of examples, tokens, skipped and truncated records
 */
public record Dataset(List<Example> examples, LoadReport report) {

    public Dataset {
        examples = List.copyOf(examples);
    }
}
