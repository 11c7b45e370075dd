package io.ortune.models.generate;

import java.util.List;

/**
 * One rewrite of a row's next-token logits before a token is chosen, in place. Processors compose in order
 * ({@link #chain}); logits a processor rules out become {@link Float#NEGATIVE_INFINITY}, as Hugging Face's
 * {@code filter_value}.
 */
@FunctionalInterface
public interface LogitsProcessor {

    /** Leaves the logits as they are. */
    LogitsProcessor IDENTITY = (ids, length, logits) -> { };

    /**
     * Rewrites {@code logits} (one entry per vocabulary id) given the row's tokens so far.
     *
     * @param ids    the row's tokens so far (prompt without padding, then the generated ones) in
     *               {@code ids[0..length)}; entries past {@code length} are meaningless
     * @param length how many entries of {@code ids} are tokens
     * @param logits the next-token logits, changed in place
     */
    void apply(int[] ids, int length, float[] logits);

    /** Applies {@code processors} one after the other (the identity when there are none). */
    static LogitsProcessor chain(List<LogitsProcessor> processors) {
        List<LogitsProcessor> all = List.copyOf(processors);
        if (all.isEmpty()) {
            return IDENTITY;
        }
        if (all.size() == 1) {
            return all.get(0);
        }
        return (ids, length, logits) -> {
            for (LogitsProcessor p : all) {
                p.apply(ids, length, logits);
            }
        };
    }
}
