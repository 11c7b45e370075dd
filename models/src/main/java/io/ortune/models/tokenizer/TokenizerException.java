package io.ortune.models.tokenizer;

/** A tokenizer file that is missing or malformed; the message names the file and what is wrong. */
public final class TokenizerException extends java.io.IOException {

    public TokenizerException(String message) {
        super(message);
    }

    public TokenizerException(String message, Throwable cause) {
        super(message, cause);
    }
}
