package io.ortune.bench.harness;


import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Model;
import io.ortune.runtime.ValueInfo;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Optional;

/**
 * Runs a {@link BenchPlan}: for each model (recording the load average before it), each backend (a backend that is
 * not available gives skipped results with its reason) and each batch × sequence length, warm-up runs (excluded,
 * reported) then timed runs on inputs allocated beforehand, so each timed interval is the session run alone.
 */
public final class BenchRunner {

    private BenchRunner() {
    }

    /** Runs {@code plan}, logging progress to stderr. */
    public static BenchResults run(BenchPlan plan) {
        return run(plan, System.err);
    }

    /** Runs {@code plan}, logging progress to {@code log}. */
    public static BenchResults run(BenchPlan plan, PrintStream log) {
        MachineDescription machine = MachineDescription.describe();
        List<BenchResult> results = new ArrayList<>();
        List<String> warnings = new ArrayList<>();
        Map<String, ModelWeights> weights = new LinkedHashMap<>();
        for (Path model : plan.models()) {
            double load = MachineDescription.loadAverage1();
            double others = OtherCpuUse.sample(OTHERS_WINDOW_MS);
            boolean busy = Double.isNaN(others) ? load > plan.busyLoad() * 2 : others > plan.busyLoad();
            String label = label(plan.models(), model);
            Optional<Model> onnx = Precision.readOnnx(model);
            String precision = Precision.detect(model, onnx);
            log.printf(Locale.ROOT, "%s (%s): load average %.2f, other processes %.2f cores before%s%n", label,
                    precision, load, others, busy ? " -- BUSY machine, figures flagged" : "");
            if (busy) {
                warnings.add(String.format(Locale.ROOT, "%s: measured on a busy machine (other processes used %.2f "
                        + "cores > %.2f in the second before; 1-minute load %.2f)", label, others, plan.busyLoad(),
                        load));
            }
            onnx.map(ModelWeights::of).ifPresent(w -> weights.put(label, w));
            Case c = new Case(label, model.toString(), precision, load, busy);
            for (Backend backend : plan.backends()) {
                results.addAll(onBackend(plan, backend, model, c, log));
            }
        }
        for (BenchResult r : results) {
            if (r.unstable()) {
                warnings.add(String.format(Locale.ROOT, "%s %s batch %d seq %d: coefficient of variation %.1f %% is"
                        + " above 2.5 %%: the figures are noisy", r.model(), r.backend(), r.batch(), r.seq(),
                        100 * r.latencyMs().cv()));
            }
        }
        MachineLimits limits = probeLimits(plan.threads(), warnings);
        warnings.forEach(w -> log.println("warning: " + w));
        BenchResults out = new BenchResults(BenchResults.SCHEMA, Instant.now().toString(),
                BenchSettingsRecord.of(plan), machine, results, warnings, limits, weights);
        LimitRatios.summary(out).forEach(log::println);
        return out;
    }

    /** The machine limits with the run's threads (after the timed runs, so they do not disturb them), or null. */
    private static MachineLimits probeLimits(int threads, List<String> warnings) {
        try {
            return MachineLimits.probe(threads);
        } catch (RuntimeException e) {
            warnings.add("machine limits not measured: " + e.getMessage());
            return null;
        }
    }

    /** What a model's results share. */
    /** The idle window, before each model, over which other processes' CPU use is sampled. */
    private static final long OTHERS_WINDOW_MS = 1000;

    record Case(String label, String path, String precision, double load, boolean busy) {
        BenchResult skipped(Backend b, int batch, int seq, int threads, String reason) {
            return BenchResult.skipped(label, path, b.name(), precision, batch, seq, threads, reason, load, busy);
        }
    }

    private static List<BenchResult> onBackend(BenchPlan plan, Backend backend, Path model, Case c, PrintStream log) {
        List<BenchResult> out = new ArrayList<>();
        String reason = backend.skipReason().orElse(null);
        if (reason == null && plan.generation() != null && backend instanceof TensorRtBackend) {
            reason = "generation is timed through ONNX Runtime's KV-cache loop; TensorRT times forward passes only";
        }
        if (reason != null) {
            log.printf("  %s: skipped: %s%n", backend.name(), reason);
            for (int b : plan.batches()) {
                for (int s : plan.seqs()) {
                    out.add(c.skipped(backend, b, s, plan.threads(), reason));
                }
            }
            return out;
        }
        if (plan.generation() != null) {
            return GenerationTimer.measure(plan, backend, model, c, log);
        }
        try (ModelSession session = backend.open(model, plan.threads())) {
            int vocab = vocabulary(session.outputs());
            for (int b : plan.batches()) {
                for (int s : plan.seqs()) {
                    InputPlan inputs = InputPlan.of(model.toString(), session.inputs(), b, s);
                    out.add(forward(plan, backend, session, inputs, vocab, c, log));
                }
            }
        }
        return out;
    }

    private static BenchResult forward(BenchPlan plan, Backend backend, ModelSession session, InputPlan inputs,
                                       int vocab, Case c, PrintStream log) {
        try (Feeds feeds = new Feeds(inputs, vocab, plan.seed())) {
            Timings t = Timings.time(plan.warmup(), plan.measure(), () -> session.run(feeds.asMap()));
            LatencyStats lat = LatencyStats.of(t.timedMs());
            int b = inputs.batch();
            int s = inputs.seq();
            BenchResult r = new BenchResult(c.label(), c.path(), backend.name(), c.precision(), b, s,
                    BenchResult.Status.OK, null, session.threads(), t.warmupRuns(), t.warmupMs(), lat,
                    b * 1000.0 / lat.mean(), (double) b * s * 1000.0 / lat.mean(), null, c.load(), c.busy());
            log.printf(Locale.ROOT, "  %s batch %d seq %d: p50 %.3f ms, p99 %.3f ms, cv %.1f %% (%d runs, %d warm-up)%n",
                    backend.name(), b, s, lat.p50(), lat.p99(), 100 * lat.cv(), lat.n(), t.warmupRuns());
            return r;
        }
    }

    /** The model's file name, or its path as given when another model of the plan has the same file name. */
    static String label(List<Path> models, Path model) {
        String name = model.getFileName().toString();
        long same = models.stream().filter(m -> m.getFileName().toString().equals(name)).count();
        return same > 1 ? model.toString() : name;
    }

    /** The vocabulary size from a {@code logits} output's last dimension, else 2 (ids 0 and 1 are always valid). */
    static int vocabulary(List<ValueInfo> outputs) {
        for (ValueInfo v : outputs) {
            if (v.name().equals("logits") && v.shape().hasRank() && v.shape().rank() > 0
                    && v.shape().dim(v.shape().rank() - 1) instanceof Dim.Known k) {
                return (int) k.size();
            }
        }
        return 2;
    }
}
