package io.ortune.runtime;

/** Whether ONNX Runtime runs independent nodes one after the other or in parallel (on the inter-op threads). */
public enum ExecutionMode {
    SEQUENTIAL(0),
    PARALLEL(1);

    private final int ortMode;

    ExecutionMode(int ortMode) {
        this.ortMode = ortMode;
    }

    /** The {@code ExecutionMode} number. */
    public int ortMode() {
        return ortMode;
    }
}
