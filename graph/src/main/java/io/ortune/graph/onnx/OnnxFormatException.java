package io.ortune.graph.onnx;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that is not a valid ONNX model or tensor, or that ortune refuses to load or write for a stated reason:
 * truncated or garbage bytes, a node input that names nothing, external data outside the model's folder or
 * missing, a model too large for protobuf without external data. The message always starts with the file (or
 * {@code <in-memory model>}) and then says what is wrong.
 */
public final class OnnxFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    /** {@code source} names the file (or the in-memory origin); {@code problem} says what is wrong. */
    public OnnxFormatException(String source, String problem) {
        this(source, problem, null);
    }

    public OnnxFormatException(String source, String problem, Throwable cause) {
        super(source + ": " + problem, cause);
        this.source = source;
        this.problem = problem;
    }

    static String describe(Path file) {
        return file == null ? "<in-memory model>" : file.toString();
    }

    /** The file (or in-memory origin) that was being read or written. */
    public String source() {
        return source;
    }

    /** What is wrong, without the file name. */
    public String problem() {
        return problem;
    }
}
