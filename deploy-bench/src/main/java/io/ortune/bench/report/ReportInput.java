package io.ortune.bench.report;

import io.ortune.bench.harness.BenchResults;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** One thing a report is assembled from. */
sealed interface ReportInput {

    /** Where it was read from. */
    Path source();

    /**
     * Bench results ({@code results.json}).
     *
     * @param source  the file
     * @param results its contents
     */
    record Bench(Path source, BenchResults results) implements ReportInput { }

    /**
     * A training run folder.
     *
     * @param source the run folder
     * @param steps  one map of numeric fields per line of {@code metrics.jsonl}
     * @param evals  one map per evaluation ({@code eval.jsonl})
     */
    record TrainingRun(Path source, List<Map<String, Double>> steps, List<Map<String, Double>> evals)
            implements ReportInput {
        public TrainingRun {
            steps = List.copyOf(steps);
            evals = List.copyOf(evals);
        }
    }

    /**
     * Any other JSON report (NF4, int8/int4 quantization …): its kind and top-level scalar fields (nested objects'
     * scalars as {@code object.key}, arrays by their length).
     *
     * @param source  the file
     * @param kind    its {@code "kind"} field, else the file name without {@code .json}
     * @param scalars field → value as text, in file order
     */
    record JsonReport(Path source, String kind, Map<String, String> scalars) implements ReportInput {
        public JsonReport {
            scalars = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(scalars));
        }
    }
}
