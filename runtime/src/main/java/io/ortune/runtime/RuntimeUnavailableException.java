package io.ortune.runtime;

/**
 * Something ortune needs from the machine is not there: the ONNX Runtime native libraries could not be loaded, or an
 * execution provider (CUDA) was asked for but is not built in or has no device. The message says what is missing and
 * what would fix it; the cause, when there is one, is the underlying {@link LinkageError} or {@link OrtException}.
 */
public final class RuntimeUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public RuntimeUnavailableException(String message) {
        super(message);
    }

    public RuntimeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
