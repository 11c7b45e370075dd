package io.ortune.models.weights;

import java.io.IOException;
import java.nio.file.Path;

/** A checkpoint file (other than safetensors) whose content does not match its format: the file and what is wrong. */
public final class CheckpointFormatException extends IOException {

    private final transient Path file;
    private final String problem;

    public CheckpointFormatException(Path file, String problem) {
        super("invalid checkpoint " + file + ": " + problem);
        this.file = file;
        this.problem = problem;
    }

    /** The offending file. */
    public Path file() {
        return file;
    }

    /** What is wrong. */
    public String problem() {
        return problem;
    }
}
