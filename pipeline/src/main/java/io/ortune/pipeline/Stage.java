package io.ortune.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Path;
import java.util.List;

/**
 * One step of the pipeline. A stage reads earlier stages' outputs (through its {@link StageContext}) and the files
 * its config names ({@link #inputs()}), writes into its own folder and returns what it wrote. Everything its outputs
 * depend on is in {@link #inputs()}, {@link #settings()} and {@link #version()}: that is what makes a finished
 * stage safe to skip when none of them changed ({@link StageKey}).
 */
public interface Stage {

    /** A file outside the pipeline folder that the stage reads, by name. */
    record Input(String name, Path path) {
    }

    StageName name();

    /** Version of the stage's code: bump it when the same inputs and settings would give different outputs. */
    int version();

    /** The files named in the config that this stage reads (earlier stages' outputs are added by the pipeline). */
    List<Input> inputs();

    /** The settings the outputs depend on, as JSON (its config section plus pipeline-wide values it uses). */
    JsonNode settings();

    /** Whether an interrupted run of this stage can continue where it stopped ({@link StageContext#resume()}). */
    default boolean resumable() {
        return false;
    }

    /** Whether {@code stageDir} holds an interrupted run this stage can continue (a checkpoint). */
    default boolean canResume(Path stageDir) {
        return false;
    }

    /** Does the work, writing only under {@link StageContext#dir()}. */
    StageOutputs run(StageContext context) throws Exception;
}
