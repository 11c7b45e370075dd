package io.ortune.bench.harness;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The optional keys of {@code results.json} about machine limits: {@code machine_limits}, {@code model_weights} and,
 * per result, {@code vs_limits}. Files without them (written before) read with no limits, so the schema stays
 * {@code ortune.bench.results/1}.
 */
final class LimitsJson {

    private LimitsJson() {
    }

    /** Adds the top-level keys to {@code root} when {@code r} has limits. */
    static void write(BenchResults r, ObjectNode root) {
        MachineLimits m = r.limits();
        if (m != null) {
            ObjectNode o = root.putObject("machine_limits");
            o.put("matmul_gflops", m.matmulGflops());
            o.put("read_gb_per_s", m.readGbPerS());
            o.put("threads", m.threads());
            o.put("matmul_method", m.matmulMethod());
            o.put("bandwidth_method", m.bandwidthMethod());
        }
        ArrayNode a = root.putArray("model_weights");
        r.weights().forEach((model, w) -> a.addObject().put("model", model).put("params", w.params())
                .put("weight_bytes", w.weightBytes()));
    }

    /** Adds {@code vs_limits} to result {@code o} when known (derived on writing, not read back). */
    static void writeResult(BenchResults r, BenchResult x, ObjectNode o) {
        r.vsLimits(x).ifPresent(v -> {
            ObjectNode l = o.putObject("vs_limits");
            l.put("matmul_peak_share", v.matmulPeakShare());
            if (!Double.isNaN(v.decodeBoundTokensPerS())) {
                l.put("decode_bound_tokens_per_s", v.decodeBoundTokensPerS());
                l.put("decode_bound_share", v.decodeBoundShare());
            }
        });
    }

    static MachineLimits readLimits(Reader in, JsonNode root) {
        if (!root.has("machine_limits")) {
            return null;
        }
        JsonNode m = in.object(root, "machine_limits");
        try {
            return new MachineLimits(in.number(m, "machine_limits.matmul_gflops"),
                    in.number(m, "machine_limits.read_gb_per_s"), in.integer(m, "machine_limits.threads"),
                    in.text(m, "machine_limits.matmul_method"), in.text(m, "machine_limits.bandwidth_method"));
        } catch (IllegalArgumentException e) {
            throw in.fail("machine_limits", e.getMessage());
        }
    }

    static Map<String, ModelWeights> readWeights(Reader in, JsonNode root) {
        Map<String, ModelWeights> out = new LinkedHashMap<>();
        if (!root.has("model_weights")) {
            return out;
        }
        JsonNode a = in.array(root, "model_weights");
        for (int i = 0; i < a.size(); i++) {
            String at = "model_weights[" + i + "]";
            JsonNode w = a.get(i);
            out.put(in.text(w, at + ".model"), new ModelWeights((long) in.number(w, at + ".params"),
                    (long) in.number(w, at + ".weight_bytes")));
        }
        return out;
    }
}
