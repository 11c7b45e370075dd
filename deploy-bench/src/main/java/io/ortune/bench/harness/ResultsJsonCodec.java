package io.ortune.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The records of {@link BenchResults} to and from JSON nodes, with snake_case keys; reading names a bad key. */
final class ResultsJsonCodec {

    private ResultsJsonCodec() {
    }

    static ObjectNode settings(BenchSettingsRecord s) {
        ObjectNode o = ResultsJson.JSON.createObjectNode();
        ArrayNode b = o.putArray("backends");
        s.backends().forEach(b::add);
        ArrayNode ba = o.putArray("batches");
        s.batches().forEach(ba::add);
        ArrayNode sq = o.putArray("seqs");
        s.seqs().forEach(sq::add);
        o.put("warmup", s.warmup());
        o.put("measure", s.measure());
        o.put("threads", s.threads());
        o.put("inter_op_threads", s.interOpThreads());
        o.put("generate_new_tokens", s.generateNewTokens());
        o.put("busy_load", s.busyLoad());
        o.put("seed", s.seed());
        o.put("percentiles", "nearest-rank");
        return o;
    }

    static ObjectNode machine(MachineDescription m) {
        ObjectNode o = ResultsJson.JSON.createObjectNode();
        o.put("cpu", m.cpu());
        ArrayNode f = o.putArray("cpu_flags");
        m.cpuFlags().forEach(f::add);
        o.put("logical_cpus", m.logicalCpus());
        o.put("threads_per_core", m.threadsPerCore());
        o.put("memory", m.memory());
        o.put("os", m.os());
        o.put("java", m.java());
        o.put("onnx_runtime", m.onnxRuntime());
        o.put("tensorrt", m.tensorRt());
        o.put("gpu", m.gpu());
        return o;
    }

    static ObjectNode result(BenchResult r) {
        ObjectNode o = ResultsJson.JSON.createObjectNode();
        o.put("model", r.model());
        o.put("path", r.path());
        o.put("backend", r.backend());
        o.put("precision", r.precision());
        o.put("batch", r.batch());
        o.put("seq", r.seq());
        o.put("status", r.status().name().toLowerCase(Locale.ROOT));
        if (r.skipReason() != null) {
            o.put("skip_reason", r.skipReason());
        }
        o.put("threads", r.threads());
        if (Double.isFinite(r.loadBefore())) {
            o.put("load_before", r.loadBefore());
        }
        o.put("busy", r.busy());
        if (!r.ok()) {
            return o;
        }
        o.put("warmup_runs", r.warmupRuns());
        o.put("warmup_ms", r.warmupMs());
        o.put("runs", r.latencyMs().n());
        o.set("latency_ms", stats(r.latencyMs()));
        o.put("throughput_per_s", r.throughputPerS());
        o.put("tokens_per_s", r.tokensPerS());
        o.put("unstable", r.unstable());
        GenerationFigures g = r.generation();
        if (g != null) {
            o.put("new_tokens", g.newTokens());
            o.set("ttft_ms", stats(g.ttftMs()));
            o.set("tpot_ms", stats(g.tpotMs()));
            o.put("prefill_tokens_per_s", g.prefillTokensPerS());
            o.put("decode_tokens_per_s", g.decodeTokensPerS());
        }
        return o;
    }

    static ObjectNode stats(LatencyStats s) {
        ObjectNode o = ResultsJson.JSON.createObjectNode();
        o.put("n", s.n());
        o.put("min", s.min());
        o.put("mean", s.mean());
        o.put("p50", s.p50());
        o.put("p90", s.p90());
        o.put("p95", s.p95());
        o.put("p99", s.p99());
        o.put("max", s.max());
        o.put("stddev", s.stddev());
        o.put("cv", s.cv());
        return o;
    }

    // ---- reading -------------------------------------------------------------------------------------------------

    static BenchResults results(Path file, JsonNode root) {
        Reader in = new Reader(file);
        JsonNode s = in.object(root, "settings");
        BenchSettingsRecord settings = new BenchSettingsRecord(in.strings(s, "settings.backends"),
                in.ints(s, "settings.batches"), in.ints(s, "settings.seqs"), in.text(s, "settings.warmup"),
                in.text(s, "settings.measure"), in.integer(s, "settings.threads"),
                in.integer(s, "settings.inter_op_threads"), in.integer(s, "settings.generate_new_tokens"),
                in.number(s, "settings.busy_load"), in.integer(s, "settings.seed"));
        JsonNode m = in.object(root, "machine");
        MachineDescription machine = new MachineDescription(in.text(m, "machine.cpu"),
                in.strings(m, "machine.cpu_flags"), in.integer(m, "machine.logical_cpus"),
                in.text(m, "machine.threads_per_core"), in.text(m, "machine.memory"), in.text(m, "machine.os"),
                in.text(m, "machine.java"), in.text(m, "machine.onnx_runtime"), in.text(m, "machine.tensorrt"),
                in.text(m, "machine.gpu"));
        List<BenchResult> results = new ArrayList<>();
        JsonNode arr = in.array(root, "results");
        for (int i = 0; i < arr.size(); i++) {
            results.add(result(in, arr.get(i), "results[" + i + "]"));
        }
        return new BenchResults(in.text(root, "schema"), in.text(root, "created_utc"), settings, machine, results,
                in.strings(root, "warnings"), LimitsJson.readLimits(in, root), LimitsJson.readWeights(in, root));
    }

    private static BenchResult result(Reader in, JsonNode o, String at) {
        String status = in.text(o, at + ".status");
        String model = in.text(o, at + ".model");
        String path = in.text(o, at + ".path");
        String backend = in.text(o, at + ".backend");
        String precision = in.text(o, at + ".precision");
        int batch = in.integer(o, at + ".batch");
        int seq = in.integer(o, at + ".seq");
        int threads = in.integer(o, at + ".threads");
        double load = o.has("load_before") ? in.number(o, at + ".load_before") : Double.NaN;
        boolean busy = in.bool(o, at + ".busy");
        if (status.equals("skipped")) {
            return BenchResult.skipped(model, path, backend, precision, batch, seq, threads,
                    in.text(o, at + ".skip_reason"), load, busy);
        }
        if (!status.equals("ok")) {
            throw in.fail(at + ".status", "is \"" + status + "\", expected \"ok\" or \"skipped\"");
        }
        GenerationFigures g = null;
        if (o.has("ttft_ms")) {
            g = new GenerationFigures(in.integer(o, at + ".new_tokens"), stats(in, o, at + ".ttft_ms"),
                    stats(in, o, at + ".tpot_ms"), in.number(o, at + ".prefill_tokens_per_s"),
                    in.number(o, at + ".decode_tokens_per_s"));
        }
        return new BenchResult(model, path, backend, precision, batch, seq, BenchResult.Status.OK, null, threads,
                in.integer(o, at + ".warmup_runs"), in.number(o, at + ".warmup_ms"), stats(in, o, at + ".latency_ms"),
                in.number(o, at + ".throughput_per_s"), in.number(o, at + ".tokens_per_s"), g, load, busy);
    }

    private static LatencyStats stats(Reader in, JsonNode parent, String at) {
        JsonNode s = in.object(parent, at);
        return new LatencyStats(in.integer(s, at + ".n"), in.number(s, at + ".min"), in.number(s, at + ".mean"),
                in.number(s, at + ".p50"), in.number(s, at + ".p90"), in.number(s, at + ".p95"),
                in.number(s, at + ".p99"), in.number(s, at + ".max"), in.number(s, at + ".stddev"),
                in.number(s, at + ".cv"));
    }
}
