package io.ortune.runtime;

/** How much ONNX Runtime rewrites a graph when it loads it ({@code GraphOptimizationLevel}). */
public enum GraphOptimizationLevel {
    /** No rewrites: runs the graph as written (use it to compare an original and a rewritten graph). */
    DISABLED(0),
    /** Constant folding and redundant-node removal. */
    BASIC(1),
    /** Basic plus operator fusions (some specific to an execution provider). */
    EXTENDED(2),
    /** Everything, including layout changes. ONNX Runtime's default. */
    ALL(99);

    private final int ortLevel;

    GraphOptimizationLevel(int ortLevel) {
        this.ortLevel = ortLevel;
    }

    /** The {@code GraphOptimizationLevel} number. */
    public int ortLevel() {
        return ortLevel;
    }
}
