package io.ortune.graph.onnx;

import io.ortune.graph.ir.Unmodeled;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.protobuf.Parser;

/**
 * The bridge between {@link Unmodeled} and protobuf: the remainder of a message after the modeled fields were
 * cleared, and back to a builder the writer completes.
 */
final class Residuals {

    private Residuals() {
    }

    static Unmodeled of(Message rest) {
        return rest.getSerializedSize() == 0 ? Unmodeled.NONE : new Unmodeled(rest.toByteArray());
    }

    /** Parses kept bytes back into a message; an IR built by hand with bad bytes gets a clear error. */
    static <M extends Message> M parse(Unmodeled u, Parser<M> parser, M empty, String what) {
        if (u == null || u.isEmpty()) {
            return empty;
        }
        try {
            return parser.parseFrom(u.bytes());
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalArgumentException("the unmodeled bytes kept for " + what
                    + " are not a valid protobuf message: " + e.getMessage(), e);
        }
    }
}
