package io.ortune.graph.onnx;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/** What every decoder needs: where the bytes came from (for messages) and how to find external data. */
final class DecodeContext {

    private final String source;
    private final ExternalDataResolver external;
    private ByteBuffer bytes;

    /** {@code file} may be null for in-memory bytes; then external data is refused. */
    DecodeContext(Path file) {
        this.source = OnnxFormatException.describe(file);
        Path folder = file == null ? null : file.toAbsolutePath().normalize().getParent();
        this.external = new ExternalDataResolver(this, folder);
    }

    String source() {
        return source;
    }

    /** The buffer the model was read from; {@link Wire#SOURCE_REF}s point into it. */
    ByteBuffer bytes() {
        return bytes;
    }

    void setBytes(ByteBuffer bytes) {
        this.bytes = bytes;
    }

    ExternalDataResolver external() {
        return external;
    }

    OnnxFormatException fail(String problem) {
        return new OnnxFormatException(source, problem);
    }

    OnnxFormatException fail(String problem, Throwable cause) {
        return new OnnxFormatException(source, problem, cause);
    }
}
