package io.ortune.runtime;

import java.util.function.Supplier;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtStatus;

/** Turns {@code OrtStatus} results into {@link OrtException}s, releasing every status. */
final class Statuses {

    private Statuses() {
    }

    /** Throws when {@code status} is an error; the context is only built then. */
    static void check(OrtApi api, OrtStatus status, Supplier<String> context) {
        if (status == null || status.isNull()) {
            return;
        }
        throw toException(api, status, context.get());
    }

    static void check(OrtApi api, OrtStatus status, String context) {
        if (status == null || status.isNull()) {
            return;
        }
        throw toException(api, status, context);
    }

    /** Reads code and message from an error status, releases it, and returns the exception to throw. */
    static OrtException toException(OrtApi api, OrtStatus status, String context) {
        try {
            int code = api.GetErrorCode().call(status);
            BytePointer msg = api.GetErrorMessage().call(status);
            String text = msg == null || msg.isNull() ? "" : msg.getString(java.nio.charset.StandardCharsets.UTF_8);
            return new OrtException(context, OrtErrorCode.fromCode(code), text);
        } finally {
            api.ReleaseStatus(status);
        }
    }
}
