package io.ortune.training.data;

import java.nio.file.Path;

/** A training data file that cannot be read as asked: names the file and, when it applies, the line. */
public final class DataFormatException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final long line;

    /** A problem at {@code line} (1-based) of {@code file}; 0 for the file as a whole. */
    public DataFormatException(Path file, long line, String message) {
        super(file + (line > 0 ? ":" + line : "") + ": " + message);
        this.file = file;
        this.line = line;
    }

    public Path file() {
        return file;
    }

    /** The 1-based line, or 0 when the problem is not on one line. */
    public long line() {
        return line;
    }
}
