package io.ortune.training.objective;

/** How a sequence's hidden states become one vector for a head. */
public enum Pooling {
    /** Decoders: the last token of the graph's output head ({@code logits}) input, else mean pooling. */
    AUTO,
    /**
     * Mean over the attention mask of the hidden states, as sentence-transformers pools all-MiniLM-L6-v2:
     * {@code sum(h · mask) / max(sum(mask), 1e-9)}.
     */
    MEAN,
    /** The hidden state of each row's last real token (right padding: the last position whose mask is 1). */
    LAST_TOKEN
}
