package io.ortune.runtime;

import java.util.Objects;

/**
 * ONNX Runtime returned an error status. The message reads
 * {@code "<what ortune was doing>: <ORT error code>: <ORT's message>"}, for example
 * {@code "creating session for model.onnx: ORT_INVALID_PROTOBUF: Failed to load model because protobuf parsing
 * failed."}
 */
public final class OrtException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final OrtErrorCode errorCode;
    private final String ortMessage;
    private final String context;

    public OrtException(String context, OrtErrorCode errorCode, String ortMessage) {
        super(context + ": " + errorCode.ortName() + ": " + ortMessage);
        this.context = Objects.requireNonNull(context, "context");
        this.errorCode = Objects.requireNonNull(errorCode, "errorCode");
        this.ortMessage = ortMessage == null ? "" : ortMessage;
    }

    /** ONNX Runtime's error code. */
    public OrtErrorCode errorCode() {
        return errorCode;
    }

    /** ONNX Runtime's own message, unchanged. */
    public String ortMessage() {
        return ortMessage;
    }

    /** What ortune was doing when the error came back ("running model.onnx", "loading checkpoint ..."). */
    public String context() {
        return context;
    }
}
