package io.ortune.training.autodiff;

import java.util.List;

/**
 * A node on the path from the loss to a trainable parameter has no gradient rule, or its rule cannot handle this
 * particular use (an unknown rank, a gradient through an output the rule does not differentiate). The message
 * names the op, the node and, for a missing rule, every op that has one.
 */
public final class UnsupportedGradientException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String opType;
    private final String nodeName;

    UnsupportedGradientException(String opType, String nodeName, String problem) {
        super("cannot differentiate " + opType + " node '" + nodeName + "': " + problem);
        this.opType = opType;
        this.nodeName = nodeName;
    }

    /** No rule for the op at all; lists the supported ops. */
    static UnsupportedGradientException noRule(String opType, String nodeName, List<String> supported) {
        return new UnsupportedGradientException(opType, nodeName, "no gradient rule for " + opType
                + " (it lies between the loss and a trainable parameter; freeze the parameters before it, or add "
                + "a rule with GradientRules.with). Ops with rules: " + String.join(", ", supported));
    }

    /** The op type, with its domain when not the default one ({@code com.microsoft::FusedMatMul}). */
    public String opType() {
        return opType;
    }

    public String nodeName() {
        return nodeName;
    }
}
