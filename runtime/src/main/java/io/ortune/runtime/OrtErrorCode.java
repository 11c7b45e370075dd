package io.ortune.runtime;

/** ONNX Runtime's {@code OrtErrorCode} values, with the C spelling ({@code ORT_INVALID_ARGUMENT}) for messages. */
public enum OrtErrorCode {
    OK(0),
    FAIL(1),
    INVALID_ARGUMENT(2),
    NO_SUCHFILE(3),
    NO_MODEL(4),
    ENGINE_ERROR(5),
    RUNTIME_EXCEPTION(6),
    INVALID_PROTOBUF(7),
    MODEL_LOADED(8),
    NOT_IMPLEMENTED(9),
    INVALID_GRAPH(10),
    EP_FAIL(11),
    MODEL_LOAD_CANCELED(12),
    MODEL_REQUIRES_COMPILATION(13),
    NOT_FOUND(14),
    /** A code this version of ortune does not know (a newer ONNX Runtime). */
    UNKNOWN(-1);

    private final int code;

    OrtErrorCode(int code) {
        this.code = code;
    }

    /** The numeric {@code OrtErrorCode}. */
    public int code() {
        return code;
    }

    /** The C enumerator name, e.g. {@code ORT_INVALID_ARGUMENT}. */
    public String ortName() {
        return this == UNKNOWN ? "ORT_UNKNOWN_ERROR" : "ORT_" + name();
    }

    /** The constant for {@code code}; {@link #UNKNOWN} for codes this version does not list. */
    public static OrtErrorCode fromCode(int code) {
        for (OrtErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return UNKNOWN;
    }
}
