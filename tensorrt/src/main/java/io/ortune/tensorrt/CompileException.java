package io.ortune.tensorrt;

import java.util.List;

/**
 * {@code compile} cannot go on; the message says why and what to do. {@link Kind#INPUT}: the request does not fit
 * the model (a bad profile, INT8 asked of a model without QDQ), nothing was started; {@link Kind#DEVICE}: no
 * usable GPU/TensorRT; {@link Kind#BUILD}: TensorRT itself failed (parser or builder messages attached).
 */
public final class CompileException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** Which stage refused. */
    public enum Kind { INPUT, DEVICE, BUILD }

    private final Kind kind;
    private final List<String> issues;

    CompileException(Kind kind, String headline, List<String> issues) {
        super(headline + (issues.isEmpty() ? "" : ":\n  " + String.join("\n  ", issues)));
        this.kind = kind;
        this.issues = List.copyOf(issues);
    }

    public Kind kind() {
        return kind;
    }

    /** One line per problem (may be empty when the headline says it all). */
    public List<String> issues() {
        return issues;
    }
}
