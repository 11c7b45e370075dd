package io.ortune.pipeline;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The short summary {@code ortune demo} prints after a reward-model pipeline: held-out pairwise accuracy before →
 * after, the int8 accuracy delta, p50 latency of every benched model per batch size, the report's path and the
 * total time. Every figure comes from the stage manifests; a stage that did not run is left out.
 */
public final class DemoSummary {

    private static final java.util.Map<String, String> MODE_NAMES = java.util.Map.of(
            "int8", "int8 (static QDQ)", "dynamic", "int8 (dynamic)", "int4", "int4 (weights)", "nf4", "nf4");

    private DemoSummary() {
    }

    /** The summary lines of {@code r}. */
    public static List<String> lines(Pipeline.Result r) {
        List<String> out = new ArrayList<>();
        summary(r, StageName.EVALUATE).ifPresent(e -> out.add(String.format(Locale.ROOT,
                "held-out pairwise accuracy: %.4f -> %.4f (%d pairs)", e.path("before").asDouble(Double.NaN),
                e.path("after").asDouble(), e.path("heldout_rows").asInt())));
        summary(r, StageName.QUANTIZE).ifPresent(all -> all.fields().forEachRemaining(f -> {
            JsonNode q = f.getValue();
            if (q.has("accuracy_delta")) {
                out.add(String.format(Locale.ROOT, "%s: accuracy %.4f -> %.4f (delta %+.4f), score cosine %.6f",
                        MODE_NAMES.getOrDefault(f.getKey(), f.getKey()), q.get("accuracy_float").asDouble(),
                        q.get("accuracy_quantized").asDouble(), q.get("accuracy_delta").asDouble(),
                        q.path("score_cosine").asDouble()));
            }
        }));
        summary(r, StageName.BENCH).map(b -> b.get("p50_ms")).ifPresent(p -> {
            StringBuilder sb = new StringBuilder("p50 latency (ms, CPU):");
            p.fields().forEachRemaining(f -> sb.append(String.format(Locale.ROOT, " %s %.2f", f.getKey(),
                    f.getValue().asDouble())));
            out.add(sb.toString());
        });
        r.stages().stream().filter(m -> m.stage().equals(StageName.REPORT.key())).findFirst()
                .flatMap(m -> m.output(r.stageDir(StageName.REPORT), "html"))
                .ifPresent(html -> out.add("report: " + html.toAbsolutePath()));
        out.add(String.format(Locale.ROOT, "total time: %.1f s", r.seconds()));
        return out;
    }

    private static Optional<JsonNode> summary(Pipeline.Result r, StageName s) {
        return r.stages().stream().filter(m -> m.stage().equals(s.key())).findFirst()
                .map(StageManifest::summary);
    }
}
