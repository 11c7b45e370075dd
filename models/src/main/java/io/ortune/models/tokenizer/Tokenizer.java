package io.ortune.models.tokenizer;

import java.util.Optional;
import java.util.OptionalInt;

/**
 * Text to token ids and back.
 *
 * <p>{@link #encode(String)} encodes the text as written: special tokens spelled out in the text (such as
 * {@code <|endoftext|>}) become their ids, but none are added. {@link #encode(String, boolean)} can add the ones
 * the tokenizer's post-processor defines (BERT's {@code [CLS] ... [SEP]}, Llama's BOS). {@link #decode} keeps
 * special tokens, so for a byte-level tokenizer {@code decode(encode(s))} equals {@code s} for every string.
 *
 * <p>Tokenizers holding native resources must be closed; for the others {@link #close()} does nothing.
 */
public interface Tokenizer extends AutoCloseable {

    /** The ids of {@code text}, with no special tokens added. */
    int[] encode(String text);

    /**
     * The ids of {@code text}, with the tokenizer's own special tokens added around it when
     * {@code addSpecialTokens} is true (a tokenizer that defines none ignores the flag).
     */
    default int[] encode(String text, boolean addSpecialTokens) {
        return encode(text);
    }

    /**
     * The text of {@code ids}, special tokens included.
     *
     * @throws IllegalArgumentException for an id outside {@code [0, vocabSize())}
     */
    String decode(int[] ids);

    /** Number of ids: one more than the largest id. */
    int vocabSize();

    /** The id of the token spelled {@code token}, if it is in the vocabulary. */
    OptionalInt tokenToId(String token);

    /** The spelling of token {@code id} (in the tokenizer's internal alphabet), if the id exists. */
    Optional<String> idToToken(int id);

    /** Beginning-of-sequence id, if the tokenizer defines one. */
    OptionalInt bosId();

    /** End-of-sequence id, if the tokenizer defines one. */
    OptionalInt eosId();

    /** Padding id, if the tokenizer defines one. */
    OptionalInt padId();

    @Override
    default void close() {
    }
}
