package io.ortune.training.data;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.graph.io.ReadableFiles;
import io.ortune.models.tokenizer.Tokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;

/**
 * Reads a training data file into {@link Example}s.
 *
 * <ul>
 *   <li>{@link DataFormat#TEXT}: the whole file is tokenized (followed by EOS) and cut into blocks of
 *       {@link LoadOptions#maxLength()} tokens; a last piece shorter than 2 tokens is dropped.</li>
 *   <li>{@link DataFormat#JSONL}: each record's {@code text} is one example (EOS appended), loss on every token.</li>
 *   <li>{@link DataFormat#TOKENIZED}: {@code input_ids} as given; {@code labels} when present (-100 = ignored),
 *       else the usual causal loss over every token.</li>
 *   <li>{@link DataFormat#ALPACA}: {@link AlpacaTemplate} prompt + response + EOS; loss on the response and EOS
 *       only.</li>
 * </ul>
 * Examples longer than the maximum length are truncated and counted. A malformed record fails with a
 * {@link DataFormatException} naming the file and line, or with {@link LoadOptions#skipBadLines()} is skipped and
 * counted. A file that yields no example fails, so an empty dataset never reaches training.
 */
public final class DatasetLoader {

    private static final int MAX_MESSAGES = 5;

    private DatasetLoader() {
    }

    /**
     * Reads {@code file}.
     *
     * @param tokenizer needed for every format but {@link DataFormat#TOKENIZED} (may be null there)
     * @throws DataFormatException on a malformed record (unless skipped), or when no example results
     */
    public static Dataset load(Path file, Tokenizer tokenizer, LoadOptions options) throws IOException {
        ReadableFiles.file(file, "training data file");
        DataFormat format = options.format() != null ? options.format() : DataFormat.detect(file);
        if (tokenizer == null && format != DataFormat.TOKENIZED) {
            throw new DataFormatException(file, 0, format.name().toLowerCase() + " data needs a tokenizer "
                    + "(give --tokenizer); only pre-tokenized data (input_ids) does not");
        }
        Collector c = new Collector(file, format, options);
        if (format == DataFormat.TEXT) {
            readText(file, tokenizer, options, c);
        } else {
            RecordConverter converter = new RecordConverter(format, tokenizer, options);
            JsonRecords.walk(file, new JsonRecords.Sink() {
                @Override
                public void record(long line, JsonNode value) {
                    try {
                        c.add(converter.convert(value));
                    } catch (RecordConverter.BadRecord e) {
                        c.bad(line, e.getMessage());
                    }
                }

                @Override
                public void malformed(long line, String message) {
                    c.bad(line, message);
                }
            });
        }
        return c.finish();
    }

    private static void readText(Path file, Tokenizer tokenizer, LoadOptions options, Collector c)
            throws IOException {
        String text;
        try {
            text = Utf8Lines.decodeWhole(file, Files.readAllBytes(file));
        } catch (DataFormatException notUtf8) {
            if (!options.skipBadLines()) {
                throw new DataFormatException(file, notUtf8.line(), Utf8Lines.NOT_UTF8
                        + " (use --skip-bad-lines to skip such lines)");
            }
            text = validLines(file, c);
        }
        int[] ids = tokenizer.encode(text);
        OptionalInt eos = tokenizer.eosId();
        if (options.appendEos() && eos.isPresent() && ids.length > 0) {
            ids = Arrays.copyOf(ids, ids.length + 1);
            ids[ids.length - 1] = eos.getAsInt();
        }
        for (int start = 0; start < ids.length; start += options.maxLength()) {
            int end = Math.min(ids.length, start + options.maxLength());
            if (end - start >= 2) {
                c.add(Example.causal(Arrays.copyOfRange(ids, start, end)));
            }
        }
    }

    /** The text of {@code file} without its lines that are not UTF-8 (each counted as a bad line), lines ending in \n. */
    private static String validLines(Path file, Collector c) throws IOException {
        StringBuilder text = new StringBuilder();
        Utf8Lines.walk(file, (n, line) -> {
            if (line == null) {
                c.bad(n, Utf8Lines.NOT_UTF8);
            } else {
                text.append(line).append('\n');
            }
            return true;
        });
        return text.toString();
    }

    /** Gathers examples and counts. */
    private static final class Collector {
        private final Path file;
        private final DataFormat format;
        private final LoadOptions options;
        private final List<Example> examples = new ArrayList<>();
        private final List<String> messages = new ArrayList<>();
        private long tokens;
        private long labelled;
        private int badLines;
        private int truncated;
        private int empty;

        Collector(Path file, DataFormat format, LoadOptions options) {
            this.file = file;
            this.format = format;
            this.options = options;
        }

        void add(Example e) {
            if (e == null) {
                empty++;
                return;
            }
            checkVocabulary(e);
            if (e.length() > options.maxLength()) {
                e = e.truncate(options.maxLength());
                truncated++;
            }
            if (e.labelledTargets() == 0) {
                empty++;
                return;
            }
            examples.add(e);
            tokens += e.length();
            labelled += e.labelledTargets();
        }

        /**
         * Tokenizer output must fit the model: an id at or over the model's vocabulary would fail inside ONNX
         * Runtime at the first step. Pre-tokenized records are checked per line by {@link RecordConverter}.
         */
        private void checkVocabulary(Example e) {
            int vocab = options.vocabSize();
            if (vocab <= 0 || format == DataFormat.TOKENIZED) {
                return;
            }
            for (int id : e.inputIds()) {
                if (id >= vocab || id < 0) {
                    throw new DataFormatException(file, 0, "the tokenizer produced token id " + id + ", outside the "
                            + "model's vocabulary of " + vocab + " (ids 0.." + (vocab - 1) + "): the tokenizer "
                            + "does not match the model (give the model's own --tokenizer)");
                }
            }
        }

        void bad(long line, String message) {
            if (!options.skipBadLines()) {
                throw new DataFormatException(file, line, message + " (use --skip-bad-lines to skip such lines)");
            }
            badLines++;
            if (messages.size() < MAX_MESSAGES) {
                messages.add(file + ":" + line + ": " + message);
            }
        }

        Dataset finish() {
            LoadReport report = new LoadReport(file, format, examples.size(), tokens, labelled, badLines, messages,
                    truncated, empty);
            if (examples.isEmpty()) {
                throw new DataFormatException(file, 0, "no training examples: " + report.summary()
                        + (messages.isEmpty() ? "" : "; first problems: " + messages));
            }
            return new Dataset(examples, report);
        }
    }
}
