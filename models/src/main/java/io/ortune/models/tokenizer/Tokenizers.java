package io.ortune.models.tokenizer;

import io.ortune.graph.io.ReadableFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Collectors;

/** Finds and loads the tokenizer of a checkpoint folder. */
public final class Tokenizers {

    /** Hugging Face's single-file tokenizer. */
    public static final String HF_FILE = "tokenizer.json";

    private Tokenizers() {
    }

    /**
     * Loads the tokenizer at {@code dirOrFile}: a {@code tokenizer.json} file or a folder holding one (run by
     * {@link HfTokenizer}); otherwise a folder (or one of its files) with GPT-2's {@code encoder.json} + {@code vocab.bpe} or
     * {@code vocab.json} + {@code merges.txt} ({@link Gpt2BpeTokenizer}).
     *
     * @throws TokenizerException when none is found, listing what was looked for and what is there
     */
    public static Tokenizer load(Path dirOrFile) throws IOException {
        if (Files.isRegularFile(dirOrFile)) {
            String name = dirOrFile.getFileName().toString();
            boolean gpt2File = name.equals("encoder.json") || name.equals("vocab.bpe") || name.equals("vocab.json")
                    || name.equals("merges.txt");
            return gpt2File ? Gpt2BpeTokenizer.load(dirOrFile.toAbsolutePath().getParent())
                    : HfTokenizer.load(dirOrFile);
        }
        if (!Files.isDirectory(dirOrFile)) {
            if (Files.exists(dirOrFile)) {
                ReadableFiles.file(dirOrFile, "tokenizer file");
            }
            throw new TokenizerException(dirOrFile + ": no such tokenizer file or folder");
        }
        ReadableFiles.folder(dirOrFile, "tokenizer folder");
        if (Files.isRegularFile(dirOrFile.resolve(HF_FILE))) {
            return HfTokenizer.load(dirOrFile.resolve(HF_FILE));
        }
        boolean gpt2 = Files.isRegularFile(dirOrFile.resolve("encoder.json"))
                && Files.isRegularFile(dirOrFile.resolve("vocab.bpe"));
        boolean hfBpe = Files.isRegularFile(dirOrFile.resolve("vocab.json"))
                && Files.isRegularFile(dirOrFile.resolve("merges.txt"));
        if (gpt2 || hfBpe) {
            return Gpt2BpeTokenizer.load(dirOrFile);
        }
        String found;
        try (var files = Files.list(dirOrFile)) {
            found = files.map(p -> p.getFileName().toString()).sorted().limit(20).collect(Collectors.joining(", "));
        }
        throw new TokenizerException(dirOrFile + ": no tokenizer found; looked for " + HF_FILE
                + " (Hugging Face), encoder.json + vocab.bpe (GPT-2) and vocab.json + merges.txt (GPT-2 style BPE);"
                + " found: " + (found.isEmpty() ? "nothing" : found));
    }
}
