package io.ortune.graph.validate;

/**
 * One problem in a model: its kind, the node or value it concerns ({@code subject}), and a message that names it
 * and says what is wrong.
 */
public record ValidationIssue(Kind kind, String subject, String message) {

    /** Kinds of problems; all are errors except {@link #NOT_TOPOLOGICALLY_SORTED}. */
    public enum Kind {
        CYCLE,
        DANGLING_INPUT,
        OUTPUT_NOT_PRODUCED,
        DUPLICATE_VALUE_NAME,
        INITIALIZER_SHADOWS_NODE_OUTPUT,
        DUPLICATE_NODE_NAME,
        MISSING_OPSET_IMPORT,
        OPSET_TOO_OLD,
        /** The op's schema check failed: input count, dtype agreement, attributes, shapes. */
        OP_CHECK,
        /** A node reads a value produced later in the list; ONNX Runtime copes, the ONNX checker does not. */
        NOT_TOPOLOGICALLY_SORTED;

        public boolean isError() {
            return this != NOT_TOPOLOGICALLY_SORTED;
        }
    }

    public boolean isError() {
        return kind.isError();
    }

    @Override
    public String toString() {
        return (isError() ? "" : "warning: ") + message;
    }
}
