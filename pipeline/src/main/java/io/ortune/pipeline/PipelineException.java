package io.ortune.pipeline;

/**
 * A stage failed. The message names the stage and its cause; the stages before it are intact (their folders and
 * manifests were not touched), and the failed stage's folder has no manifest, so the next run starts it again (or,
 * for training, resumes it from its newest checkpoint).
 */
public final class PipelineException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final StageName stage;

    PipelineException(StageName stage, String message, Throwable cause) {
        super(message, cause);
        this.stage = stage;
    }

    /** The stage that failed. */
    public StageName stage() {
        return stage;
    }
}
