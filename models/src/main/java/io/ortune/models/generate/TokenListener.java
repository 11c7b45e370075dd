package io.ortune.models.generate;

/**
 * Sees every generated token as soon as it is chosen (before the next step runs), for streaming output. Called on
 * the generating thread, rows in order within a step; a stop token is reported too.
 */
@FunctionalInterface
public interface TokenListener {

    /** A listener that does nothing. */
    TokenListener NONE = (row, token) -> { };

    /**
     * @param row   the prompt's index in the batch
     * @param token the new token id
     */
    void onToken(int row, int token);

    /** Called once per row when it is done; the default does nothing. */
    default void onFinish(int row, StopReason reason) {
    }
}
