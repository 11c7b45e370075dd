package io.ortune.training.data;

/**
 * How {@link DatasetLoader} reads a file.
 *
 * @param format       the format, or null to {@link DataFormat#detect detect} it
 * @param maxLength    longest example in tokens (the block size); longer ones are truncated and counted; plain text
 *                     is cut into blocks of this length
 * @param skipBadLines skip and count malformed records instead of failing on the first
 * @param appendEos    end every document (text, JSONL, Alpaca response) with the tokenizer's end-of-sequence token
 * @param vocabSize    ids must be below this in pre-tokenized data (0 = not checked)
 */
public record LoadOptions(DataFormat format, int maxLength, boolean skipBadLines, boolean appendEos, int vocabSize) {

    public LoadOptions {
        if (maxLength < 2) {
            throw new IllegalArgumentException("the block size (max length) must be >= 2 tokens, got " + maxLength);
        }
        if (vocabSize < 0) {
            throw new IllegalArgumentException("vocab size must be >= 0, got " + vocabSize);
        }
    }

    /** Detected format, no skipping, EOS appended, ids unchecked. */
    public static LoadOptions of(int maxLength) {
        return new LoadOptions(null, maxLength, false, true, 0);
    }

    public LoadOptions withFormat(DataFormat f) {
        return new LoadOptions(f, maxLength, skipBadLines, appendEos, vocabSize);
    }

    public LoadOptions withSkipBadLines(boolean skip) {
        return new LoadOptions(format, maxLength, skip, appendEos, vocabSize);
    }

    public LoadOptions withAppendEos(boolean eos) {
        return new LoadOptions(format, maxLength, skipBadLines, eos, vocabSize);
    }

    public LoadOptions withVocabSize(int n) {
        return new LoadOptions(format, maxLength, skipBadLines, appendEos, n);
    }
}
