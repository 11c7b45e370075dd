package io.ortune.export.merge;

/** A merge or combination that cannot be done as asked; the message names the adapter, module, tensor or flag. */
public final class MergeException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public MergeException(String message) {
        super(message);
    }

    public MergeException(String message, Throwable cause) {
        super(message, cause);
    }
}
