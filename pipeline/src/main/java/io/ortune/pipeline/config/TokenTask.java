package io.ortune.pipeline.config;

/**
 * {@code train.task:} a deterministic token-id task generated from a seed, for decoders without a bundled
 * tokenizer (stories260K). {@code successor-map}: {@code tokens} distinct ids are drawn from
 * {@code [first-id, vocab)}, and a random cyclic order over them fixes each id's successor; a row starts at a random
 * one of them and follows the cycle for {@code length} ids. A pretrained model has never seen this order, so its
 * held-out loss starts high, and the map is learnable from a few hundred rows: held-out rows start elsewhere but
 * share every transition.
 *
 * @param kind     {@code successor-map} (the only kind)
 * @param tokens   ids in the cycle (48)
 * @param rows     rows generated, training and held out (256)
 * @param length   ids per row (32)
 * @param firstId  smallest id drawn (3: above llama2.c's unk/bos/eos)
 * @param seed     generator seed (1)
 */
public record TokenTask(String kind, Integer tokens, Integer rows, Integer length, Integer firstId, Long seed) {

    public static final String SUCCESSOR_MAP = "successor-map";

    public int tokensOr() { return tokens == null ? 48 : tokens; }
    public int rowsOr() { return rows == null ? 256 : rows; }
    public int lengthOr() { return length == null ? 32 : length; }
    public int firstIdOr() { return firstId == null ? 3 : firstId; }
    public long seedOr() { return seed == null ? 1 : seed; }
}
