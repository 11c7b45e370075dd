package io.ortune.pipeline;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * The end-to-end pipeline as a library: base → inject → train → evaluate → merge → quantize → compile → bench →
 * report, each stage writing its outputs and a {@link StageManifest} under {@code DIR/stages/NN-name/}.
 *
 * <pre>{@code
 * PipelineConfig c = PipelineConfig.load(Path.of("pipeline.yaml"));      // checked before any work
 * Pipeline.Result r = Pipeline.run(c, Path.of("out"), PipelineListener.printing(System.out));
 * }</pre>
 *
 * A rerun skips every stage whose key (inputs' SHA-256, settings, stage version) is unchanged and whose outputs are
 * intact, reruns the first changed stage and all after it, and resumes an interrupted training stage from its newest
 * checkpoint. A failure is a {@link PipelineException} naming the stage; earlier stages' folders are left as they
 * were.
 */
public final class Pipeline {

    /** Names of the bundled configs ({@link #bundled(String)}). */
    public static final List<String> BUNDLED = List.of("minilm-reward", "stories260k-decoder");
    /** The default of {@code ./ortune demo}. */
    public static final String DEFAULT = "minilm-reward";
    /** The folder under the pipeline folder that holds one folder per stage. */
    public static final String STAGES = "stages";

    private Pipeline() {
    }

    /**
     * How to run.
     *
     * @param from    rerun from this stage even if unchanged (null: from the first changed one)
     * @param to      stop after this stage (null: run all the config enables)
     * @param dryRun  only plan: say what would run, skip or resume, and write nothing
     */
    public record Options(StageName from, StageName to, boolean dryRun) {
        public static Options defaults() {
            return new Options(null, null, false);
        }
    }

    /** What a run would do with one stage. */
    public enum Action { RUN, SKIP, RESUME }

    /**
     * One stage's plan.
     *
     * @param stage  the stage
     * @param action what happens to it
     * @param reason why, in words
     */
    public record Planned(StageName stage, Action action, String reason) {
    }

    /**
     * A finished run.
     *
     * @param dir     the pipeline folder
     * @param plan    what was done with each stage (for a dry run: what would be)
     * @param stages  the manifests of the stages that are now complete, in order (empty for a dry run)
     * @param seconds wall time
     */
    public record Result(Path dir, List<Planned> plan, List<StageManifest> stages, double seconds) {
        public Result {
            plan = List.copyOf(plan);
            stages = List.copyOf(stages);
        }

        /** The folder of {@code stage}. */
        public Path stageDir(StageName stage) {
            return dir.resolve(STAGES).resolve(stage.folder());
        }
    }

    /** Runs {@code config} in {@code dir} with default options. */
    public static Result run(PipelineConfig config, Path dir, PipelineListener listener) {
        return run(config, dir, Options.defaults(), listener);
    }

    /**
     * Runs {@code config} in {@code dir}.
     *
     * @throws PipelineException when a stage fails, or the config enables a stage this build cannot run yet (then
     *                           before any work)
     */
    public static Result run(PipelineConfig config, Path dir, Options options, PipelineListener listener) {
        return new StageRunner(config, dir, options, listener).run();
    }

    /**
     * A bundled config by name ({@link #BUNDLED}), its relative paths resolved against the project root: the system
     * property {@code ortune.root} when set, else the working directory.
     */
    public static PipelineConfig bundled(String name) throws IOException {
        String root = System.getProperty("ortune.root");
        return PipelineConfig.bundled(name, Path.of(root == null || root.isBlank() ? "." : root));
    }
}
