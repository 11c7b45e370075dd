package io.ortune.bench.harness;

import io.ortune.bench.report.Report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one {@code ortune bench} invocation measured: settings, machine, results, warnings.
 *
 * @param schema    {@link #SCHEMA} and its version, e.g. {@code ortune.bench.results/1}
 * @param createdUtc when the run ended (ISO-8601)
 * @param settings  the plan
 * @param machine   the machine
 * @param results   one per model × backend × batch × seq, in that order
 * @param warnings  busy-machine and noisy-result warnings
 * @param limits    the machine's measured MatMul peak and read bandwidth, or null when not probed (older files)
 * @param weights   each model's weights (by model label) for the ratios against {@code limits}; may be empty
 */
public record BenchResults(String schema, String createdUtc, BenchSettingsRecord settings, MachineDescription machine,
                           List<BenchResult> results, List<String> warnings, MachineLimits limits,
                           Map<String, ModelWeights> weights) {

    /** The schema this version writes and reads. */
    public static final String SCHEMA = "ortune.bench.results/1";
    /** File names {@link #write} uses. */
    public static final String JSON = "results.json";
    public static final String CSV = "results.csv";
    public static final String HTML = "report.html";

    public BenchResults {
        results = List.copyOf(results);
        warnings = List.copyOf(warnings);
        weights = Map.copyOf(weights);
    }

    /** Without machine limits (as files written before they were recorded). */
    public BenchResults(String schema, String createdUtc, BenchSettingsRecord settings, MachineDescription machine,
                        List<BenchResult> results, List<String> warnings) {
        this(schema, createdUtc, settings, machine, results, warnings, null, Map.of());
    }

    /** {@code r} against the machine's limits, or empty when the limits or the model's weights are unknown. */
    public Optional<LimitRatios> vsLimits(BenchResult r) {
        ModelWeights w = weights.get(r.model());
        return limits == null || w == null || !r.ok() ? Optional.empty() : LimitRatios.of(r, w, limits);
    }

    /** Writes {@code results.json}, {@code results.csv}, {@code report.html} and {@code report.md} into {@code outDir} (created). */
    public void write(Path outDir) throws IOException {
        Files.createDirectories(outDir);
        ResultsJson.write(this, outDir.resolve(JSON));
        ResultsCsv.write(this, outDir.resolve(CSV));
        Report.write(List.of(this), outDir.resolve(HTML));
    }

    /** The models in order of first appearance (the first is the baseline of ratios). */
    public List<String> models() {
        return results.stream().map(BenchResult::model).distinct().toList();
    }

    /**
     * {@code r}'s p50 latency over that of the first model's same case (backend, batch, seq), or empty when either
     * was not measured or {@code r} is the first model.
     */
    public Optional<Double> p50VsFirst(BenchResult r) {
        if (!r.ok() || models().isEmpty() || r.model().equals(models().get(0))) {
            return Optional.empty();
        }
        String first = models().get(0);
        return results.stream().filter(o -> o.model().equals(first) && o.ok() && o.sameCase(r)).findFirst()
                .map(o -> r.latencyMs().p50() / o.latencyMs().p50());
    }
}
