package io.ortune.tensorrt;

/**
 * One thing {@link QdqCheck} found about a model's explicit quantization.
 *
 * @param severity {@link Severity#ERROR}: TensorRT will refuse or misread it; {@link Severity#WARNING}: it builds
 *                 but that part stays in float; {@link Severity#NOTE}: a placement TensorRT would fuse better
 * @param node     the node (or tensor) concerned
 * @param message  what is wrong and what would be right
 */
public record QdqFinding(Severity severity, String node, String message) {

    /** How much a finding matters. */
    public enum Severity { ERROR, WARNING, NOTE }

    @Override
    public String toString() {
        return severity.name().toLowerCase(java.util.Locale.ROOT) + ": " + node + ": " + message;
    }
}
