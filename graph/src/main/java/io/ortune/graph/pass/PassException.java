package io.ortune.graph.pass;

import java.util.List;

/** A pass that failed (threw, or produced an invalid model), with the passes that ran before it. */
public final class PassException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String passName;
    private final List<String> passesBefore;

    public PassException(String passName, List<String> passesBefore, Throwable cause) {
        super(describe(passName, passesBefore, cause), cause);
        this.passName = passName;
        this.passesBefore = List.copyOf(passesBefore);
    }

    private static String describe(String pass, List<String> before, Throwable cause) {
        String after = before.isEmpty() ? " (the first pass)" : " (after " + String.join(", ", before) + ")";
        String why = cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
        return "pass '" + pass + "' failed" + after + ": " + why;
    }

    public String passName() {
        return passName;
    }

    /** Names of the passes that completed before this one, in order. */
    public List<String> passesBefore() {
        return passesBefore;
    }
}
