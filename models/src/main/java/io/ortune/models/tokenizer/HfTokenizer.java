package io.ortune.models.tokenizer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A Hugging Face {@code tokenizer.json} (any model: byte-level BPE, WordPiece, Unigram, ...) run by the Rust
 * tokenizers library through DJL ({@code ai.djl.huggingface:tokenizers}), whose native library ships inside its jar:
 * no network is needed. Vocabulary and special tokens are read by {@link HfTokenizerFile}.
 *
 * <p>DJL is configured here with truncation and padding off (its default truncates to 512 tokens). Loading sets the
 * system property {@code OPT_OUT_TRACKING=true} unless the user already set it, which stops DJL from probing the EC2
 * metadata service for telemetry on first use. DJL extracts its native library to {@code ~/.djl.ai/tokenizers}
 * (override with {@code DJL_CACHE_DIR} or {@code ENGINE_CACHE_DIR}). Close the tokenizer to free native memory.
 */
public final class HfTokenizer implements Tokenizer {

    private final HuggingFaceTokenizer rust;
    private final HfTokenizerFile file;

    private HfTokenizer(HuggingFaceTokenizer tokenizer, HfTokenizerFile file) {
        this.rust = tokenizer;
        this.file = file;
    }

    /**
     * Loads {@code tokenizer.json} (the file, or a folder holding it; a {@code tokenizer_config.json} beside it names
     * the BOS/EOS/pad tokens).
     */
    public static HfTokenizer load(Path fileOrDir) throws IOException {
        Path json = Files.isDirectory(fileOrDir) ? fileOrDir.resolve(Tokenizers.HF_FILE) : fileOrDir;
        if (!Files.isRegularFile(json)) {
            throw new TokenizerException(json + ": no such tokenizer.json");
        }
        HfTokenizerFile parsed = HfTokenizerFile.read(json);
        if (System.getProperty("OPT_OUT_TRACKING") == null && System.getenv("OPT_OUT_TRACKING") == null) {
            System.setProperty("OPT_OUT_TRACKING", "true");
        }
        HuggingFaceTokenizer t;
        try {
            t = HuggingFaceTokenizer.newInstance(json, Map.of("addSpecialTokens", "false", "truncation", "false",
                    "padding", "false"));
        } catch (RuntimeException e) {
            throw new TokenizerException(json + ": the Hugging Face tokenizers library rejected it: "
                    + e.getMessage(), e);
        }
        return new HfTokenizer(t, parsed);
    }

    @Override
    public int[] encode(String text) {
        return encode(text, false);
    }

    /** With {@code addSpecialTokens}, the tokenizer's post-processor adds its tokens (BERT's CLS/SEP, a BOS...). */
    @Override
    public int[] encode(String text, boolean addSpecialTokens) {
        long[] ids = rust.encode(text, addSpecialTokens, false).getIds();
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = Math.toIntExact(ids[i]);
        }
        return out;
    }

    @Override
    public String decode(int[] ids) {
        return decode(ids, false);
    }

    /** The text of {@code ids}, leaving special tokens out when {@code skipSpecialTokens}. */
    public String decode(int[] ids, boolean skipSpecialTokens) {
        long[] longs = new long[ids.length];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= file.vocabSize()) {
                throw new IllegalArgumentException("token id " + ids[i] + " is not in the vocabulary [0, "
                        + file.vocabSize() + ")");
            }
            longs[i] = ids[i];
        }
        return rust.decode(longs, skipSpecialTokens);
    }

    /** The tokenizer.json this was loaded from. */
    public Path path() {
        return file.path();
    }

    /** The model type declared in tokenizer.json ({@code BPE}, {@code WordPiece}, {@code Unigram}, ...). */
    public String modelType() {
        return file.modelType();
    }

    @Override
    public int vocabSize() {
        return file.vocabSize();
    }

    @Override
    public OptionalInt tokenToId(String token) {
        return file.tokenToId(token);
    }

    @Override
    public Optional<String> idToToken(int id) {
        return file.idToToken(id);
    }

    @Override
    public OptionalInt bosId() {
        return file.bosId();
    }

    @Override
    public OptionalInt eosId() {
        return file.eosId();
    }

    @Override
    public OptionalInt padId() {
        return file.padId();
    }

    @Override
    public void close() {
        rust.close();
    }
}
