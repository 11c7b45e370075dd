package io.ortune.bench.harness;

import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/** {@code results.csv}: one row per result, the columns of {@link #HEADER}; empty cells where not measured. */
public final class ResultsCsv {

    /** The columns. */
    public static final List<String> HEADER = List.of("model", "backend", "precision", "batch", "seq", "status",
            "skip_reason", "threads", "warmup_runs", "runs", "latency_ms_min", "latency_ms_mean", "latency_ms_p50",
            "latency_ms_p90", "latency_ms_p95", "latency_ms_p99", "latency_ms_max", "latency_ms_stddev",
            "latency_cv", "throughput_per_s", "tokens_per_s", "ttft_ms_p50", "tpot_ms_p50", "prefill_tokens_per_s",
            "decode_tokens_per_s", "p50_vs_first", "load_before", "busy", "unstable");

    private ResultsCsv() {
    }

    /** Writes the CSV of {@code r} to {@code file} atomically. */
    public static void write(BenchResults r, Path file) throws IOException {
        StringBuilder sb = new StringBuilder(String.join(",", HEADER)).append('\n');
        for (BenchResult x : r.results()) {
            sb.append(row(r, x)).append('\n');
        }
        AtomicFiles.writeString(file, sb.toString());
    }

    static String row(BenchResults all, BenchResult r) {
        StringBuilder sb = new StringBuilder();
        cell(sb, r.model());
        cell(sb, r.backend());
        cell(sb, r.precision());
        cell(sb, r.batch());
        cell(sb, r.seq());
        cell(sb, r.status().name().toLowerCase(Locale.ROOT));
        cell(sb, r.skipReason() == null ? "" : r.skipReason());
        cell(sb, r.threads());
        LatencyStats l = r.latencyMs();
        GenerationFigures g = r.generation();
        if (r.ok()) {
            cell(sb, r.warmupRuns());
            cell(sb, l.n());
            for (double v : new double[] {l.min(), l.mean(), l.p50(), l.p90(), l.p95(), l.p99(), l.max(), l.stddev(),
                l.cv(), r.throughputPerS(), r.tokensPerS()}) {
                cell(sb, v);
            }
        } else {
            sb.append(",".repeat(13));
        }
        if (g != null) {
            for (double v : new double[] {g.ttftMs().p50(), g.tpotMs().p50(), g.prefillTokensPerS(),
                g.decodeTokensPerS()}) {
                cell(sb, v);
            }
        } else {
            sb.append(",".repeat(4));
        }
        sb.append(all.p50VsFirst(r).map(ResultsCsv::num).orElse("")).append(',');
        cell(sb, r.loadBefore());
        cell(sb, String.valueOf(r.busy()));
        sb.append(r.unstable());
        return sb.toString();
    }

    private static void cell(StringBuilder sb, Object v) {
        String s = v instanceof Double d ? num(d) : String.valueOf(v);
        if (s.contains(",") || s.contains("\"") || s.contains("\n")) {
            s = "\"" + s.replace("\"", "\"\"") + "\"";
        }
        sb.append(s).append(',');
    }

    static String num(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%.6g", v) : "";
    }
}
