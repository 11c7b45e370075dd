package io.ortune.pipeline;

import java.io.PrintStream;
import java.util.Locale;

/** Hears what a pipeline run does: one call per stage start/skip/end and per progress line. Defaults do nothing. */
public interface PipelineListener {

    /** Does nothing. */
    PipelineListener NONE = new PipelineListener() { };

    /** Stage {@code n} of {@code total} starts ({@code resume}: continuing an interrupted run). */
    default void onStageStart(StageName stage, int n, int total, boolean resume, String reason) {
    }

    /** Stage {@code n} is skipped: its inputs and settings are unchanged since it finished. */
    default void onStageSkipped(StageName stage, int n, int total, StageManifest manifest) {
    }

    /** A progress line from the running stage. */
    default void onProgress(StageName stage, String line) {
    }

    /** Stage {@code n} finished and its manifest was written. */
    default void onStageDone(StageName stage, int n, int total, StageManifest manifest) {
    }

    /** Prints one line per event: {@code [3/4 train] step 20/60 loss 0.61}. */
    static PipelineListener printing(PrintStream out) {
        return new PipelineListener() {
            @Override
            public void onStageStart(StageName stage, int n, int total, boolean resume, String reason) {
                out.printf(Locale.ROOT, "[%d/%d %s] %s (%s)%n", n, total, stage.key(), resume ? "resuming"
                        : "running", reason);
            }

            @Override
            public void onStageSkipped(StageName stage, int n, int total, StageManifest m) {
                out.printf(Locale.ROOT, "[%d/%d %s] unchanged since %s: skipped%n", n, total, stage.key(), m.ended());
            }

            @Override
            public void onProgress(StageName stage, String line) {
                for (String l : line.split("\n")) {
                    out.printf(Locale.ROOT, "  [%s] %s%n", stage.key(), l);
                }
            }

            @Override
            public void onStageDone(StageName stage, int n, int total, StageManifest m) {
                out.printf(Locale.ROOT, "[%d/%d %s] done in %.1f s%s%n", n, total, stage.key(), m.seconds(),
                        m.summary() == null || m.summary().isEmpty() ? "" : ": " + m.summary());
            }
        };
    }
}
