package io.ortune.graph.build;

/**
 * A node that breaks its operator's schema: wrong input count, dtypes that ONNX requires to agree but differ,
 * an attribute out of range for the input rank, shapes that cannot broadcast. The message names the op and the
 * node, then the problem: {@code Add '/layers.0/Add': input dtypes differ: float vs int64}.
 */
public final class OpCheckException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String opType;
    private final String nodeName;
    private final String problem;

    public OpCheckException(String opType, String nodeName, String problem) {
        super(opType + " '" + nodeName + "': " + problem);
        this.opType = opType;
        this.nodeName = nodeName;
        this.problem = problem;
    }

    public String opType() {
        return opType;
    }

    public String nodeName() {
        return nodeName;
    }

    /** The problem alone, without the op and node prefix. */
    public String problem() {
        return problem;
    }
}
