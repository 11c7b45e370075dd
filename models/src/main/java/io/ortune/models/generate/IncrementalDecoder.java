package io.ortune.models.generate;

import io.ortune.models.tokenizer.Tokenizer;

import java.util.Arrays;

/**
 * Turns tokens into text one at a time, for streaming. Decoding tokens one by one goes wrong in two ways: a
 * character whose UTF-8 bytes span several byte-level tokens decodes to U+FFFD halves, and SentencePiece-style
 * decoders drop a word's leading space when its token is decoded alone. So each new token is decoded together with
 * a few tokens before it, and the text is released only once it no longer ends in U+FFFD (the approach of Hugging
 * Face's text-generation-inference): {@code decode(window + new) - decode(window)}.
 *
 * <p>The prompt seeds the window, so the first generated token is decoded in context. Not thread-safe.
 */
public final class IncrementalDecoder {

    private static final int PROMPT_CONTEXT = 5;
    private static final char REPLACEMENT = '\uFFFD';

    private final Tokenizer tokenizer;
    private int[] ids;
    private int length;
    private int prefixOffset;
    private int readOffset;

    /**
     * @param tokenizer decodes the ids
     * @param prompt    the tokens before the first one that will be given (may be empty)
     */
    public IncrementalDecoder(Tokenizer tokenizer, int[] prompt) {
        this.tokenizer = tokenizer;
        this.ids = Arrays.copyOf(prompt, Math.max(16, prompt.length * 2));
        this.length = prompt.length;
        this.readOffset = prompt.length;
        this.prefixOffset = Math.max(0, prompt.length - PROMPT_CONTEXT);
    }

    /** Adds {@code token} and returns the text that is now complete (possibly empty). */
    public String next(int token) {
        if (length == ids.length) {
            ids = Arrays.copyOf(ids, ids.length * 2);
        }
        ids[length++] = token;
        String before = decode(prefixOffset, readOffset);
        String now = decode(prefixOffset, length);
        if (now.length() <= before.length() || now.charAt(now.length() - 1) == REPLACEMENT) {
            return "";
        }
        prefixOffset = readOffset;
        readOffset = length;
        return now.substring(before.length());
    }

    /** The text of the tokens not released yet (an incomplete character comes out as U+FFFD); then nothing is held. */
    public String flush() {
        String before = decode(prefixOffset, readOffset);
        String now = decode(prefixOffset, length);
        prefixOffset = readOffset = length;
        return now.length() > before.length() ? now.substring(before.length()) : "";
    }

    private String decode(int from, int to) {
        return from == to ? "" : tokenizer.decode(Arrays.copyOfRange(ids, from, to));
    }
}
