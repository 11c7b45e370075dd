package io.ortune.graph.io;

import java.io.IOException;
import java.nio.file.Path;

/** A {@code .npy} file ortune cannot read or a tensor it cannot write as one; the message names the file. */
public final class NpyFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public NpyFormatException(Path file, String problem) {
        super(file + ": " + problem);
    }
}
