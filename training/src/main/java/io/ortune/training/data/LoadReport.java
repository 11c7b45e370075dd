package io.ortune.training.data;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * What {@link DatasetLoader} made of a file.
 *
 * @param file            the file
 * @param format          the format read (detected or given)
 * @param examples        examples produced
 * @param tokens          tokens in them
 * @param labelledTokens  tokens that carry a label (after the shift)
 * @param badLines        malformed records skipped (with {@link LoadOptions#skipBadLines()})
 * @param badLineMessages the first few of their messages
 * @param truncated       examples cut to the maximum length
 * @param empty           records skipped because nothing was left to learn from (no text, no labelled token)
 */
public record LoadReport(Path file, DataFormat format, int examples, long tokens, long labelledTokens, int badLines,
                         List<String> badLineMessages, int truncated, int empty) {

    public LoadReport {
        badLineMessages = List.copyOf(badLineMessages);
    }

    /** One line for logs. */
    public String summary() {
        StringBuilder s = new StringBuilder(String.format(Locale.ROOT, "%s (%s): %d examples, %d tokens, %d labelled",
                file, format.name().toLowerCase(Locale.ROOT), examples, tokens, labelledTokens));
        if (truncated > 0) {
            s.append(", ").append(truncated).append(" truncated to the block size");
        }
        if (badLines > 0) {
            s.append(", ").append(badLines).append(" malformed line(s) skipped");
        }
        if (empty > 0) {
            s.append(", ").append(empty).append(" empty record(s) skipped");
        }
        return s.toString();
    }
}
