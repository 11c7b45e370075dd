package io.ortune.models.generate;

import io.ortune.models.tokenizer.Tokenizer;

import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * A {@link TokenListener} that hands each row's new text to a sink as soon as it forms whole characters (through an
 * {@link IncrementalDecoder} per row). Ids in {@code hidden} (typically the stop ids) are not rendered; whatever is
 * still held when a row finishes is flushed.
 */
public final class TextStreamer implements TokenListener {

    private final IncrementalDecoder[] decoders;
    private final Set<Integer> hidden;
    private final BiConsumer<Integer, String> sink;

    /**
     * @param tokenizer decodes the ids
     * @param prompts   the batch's prompts, in row order
     * @param hidden    ids not to render
     * @param sink      receives (row, text) for every non-empty piece of text
     */
    public TextStreamer(Tokenizer tokenizer, List<int[]> prompts, Set<Integer> hidden,
                        BiConsumer<Integer, String> sink) {
        this.decoders = new IncrementalDecoder[prompts.size()];
        for (int i = 0; i < decoders.length; i++) {
            decoders[i] = new IncrementalDecoder(tokenizer, prompts.get(i));
        }
        this.hidden = Set.copyOf(hidden);
        this.sink = sink;
    }

    @Override
    public void onToken(int row, int token) {
        if (hidden.contains(token)) {
            return;
        }
        emit(row, decoders[row].next(token));
    }

    @Override
    public void onFinish(int row, StopReason reason) {
        emit(row, decoders[row].flush());
    }

    private void emit(int row, String text) {
        if (!text.isEmpty()) {
            sink.accept(row, text);
        }
    }
}
