package io.ortune.bench.report;

import io.ortune.bench.harness.BenchResult;
import io.ortune.bench.harness.BenchResults;
import io.ortune.bench.harness.LatencyStats;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The section of one bench results file: settings, machine, the results table and warnings. */
final class BenchSection {

    static final List<String> HEADER = List.of("model", "backend", "precision", "batch", "seq", "status", "p50 ms",
            "p90 ms", "p99 ms", "mean ms", "cv %", "rows/s", "p50 vs first", "TTFT p50 ms", "TPOT p50 ms",
            "decode tok/s", "load before");

    private BenchSection() {
    }

    static void write(Document d, Path source, BenchResults r) {
        d.heading(2, "Benchmark" + (source == null ? "" : ": " + source));
        d.paragraph(String.format(Locale.ROOT, "%s, %s; warm-up %s, timed %s, %d intra-op thread(s), percentiles by"
                        + " nearest rank; created %s.", String.join("/", r.settings().backends()),
                r.settings().generateNewTokens() > 0 ? "generation of " + r.settings().generateNewTokens()
                        + " tokens" : "forward passes", r.settings().warmup(), r.settings().measure(),
                r.settings().threads(), r.createdUtc()));
        d.table(HEADER, rows(r));
        d.list(r.warnings().stream().map(w -> "warning: " + w).toList(), "warnings");
        d.heading(3, "Machine");
        d.keyValues(r.machine().asTable());
    }

    static List<List<String>> rows(BenchResults all) {
        List<List<String>> rows = new ArrayList<>();
        for (BenchResult r : all.results()) {
            List<String> row = new ArrayList<>(List.of(r.model(), r.backend(), r.precision(),
                    String.valueOf(r.batch()), String.valueOf(r.seq())));
            if (!r.ok()) {
                row.add("skipped: " + r.skipReason());
                while (row.size() < HEADER.size() - 1) {
                    row.add("");
                }
            } else {
                LatencyStats l = r.latencyMs();
                row.add(r.unstable() ? "ok (cv > 2.5 %)" : "ok");
                row.addAll(List.of(f(l.p50()), f(l.p90()), f(l.p99()), f(l.mean()),
                        String.format(Locale.ROOT, "%.1f", 100 * l.cv()), f(r.throughputPerS()),
                        all.p50VsFirst(r).map(v -> String.format(Locale.ROOT, "%.2fx", v)).orElse("")));
                if (r.generation() != null) {
                    row.addAll(List.of(f(r.generation().ttftMs().p50()), f(r.generation().tpotMs().p50()),
                            f(r.generation().decodeTokensPerS())));
                } else {
                    row.addAll(List.of("", "", ""));
                }
            }
            row.add(String.format(Locale.ROOT, "%.2f%s", r.loadBefore(), r.busy() ? " (busy)" : ""));
            rows.add(row);
        }
        return rows;
    }

    static String f(double v) {
        return v >= 100 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.3g", v);
    }
}
