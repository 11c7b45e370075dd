package io.ortune.training.artifacts;

import java.io.IOException;

/** A checkpoint file that is not a valid ONNX Runtime training checkpoint; the message names the file and the spot. */
public final class CheckpointFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public CheckpointFormatException(String message) {
        super(message);
    }
}
