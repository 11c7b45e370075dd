package io.ortune.pipeline;

import java.util.List;

/**
 * One rule a {@code pipeline.yaml} must meet before any stage runs: a section's values, its files, or whether a
 * stage can follow the ones before it. A check reports each problem with the key it is about; the reader adds the
 * line.
 */
@FunctionalInterface
interface StageCheck {

    /** Where a check reports a problem. */
    @FunctionalInterface
    interface Issues {
        void add(String key, String message);
    }

    void check(PipelineConfig config, Issues issues);

    /** Every check, in the order their problems are listed. */
    List<StageCheck> ALL = List.of(StageOrderCheck::check, BaseCheck::check, TrainChecks::check,
            DeployChecks::check);
}
