package io.ortune.bench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code bench-train --json FILE}: a {@link TrainBenchReport} as one JSON object. Top level:
 * {@code ort_matmul_peak_flops}, {@code peer_matmul_peak_flops} (null without a peer), {@code ratio_refused} (why ratios are null, or null),
 * {@code started_utc}, {@code loads}, {@code machine}, and {@code settings}: one object per setting with
 * {@code name}, {@code tokens_per_s}, {@code peer_tokens_per_s}, {@code ratio}, {@code peak_rss_bytes},
 * {@code peer_peak_rss_bytes}, {@code trainable_params}, {@code peer_trainable_params}, {@code flop_per_step},
 * {@code flops}, {@code peer_flops}, {@code share_of_better_peak}, {@code peer_share_of_better_peak},
 * {@code median_step_s}, {@code peer_median_step_s}. Peer fields are null when there is no peer.
 */
public final class TrainBenchJson {

    private static final double MIB = 1024.0 * 1024.0;

    private TrainBenchJson() {
    }

    /** The JSON tree of {@code r}. */
    public static ObjectNode of(TrainBenchReport r) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("started_utc", r.startedUtc());
        root.put("ort_matmul_peak_flops", r.peak().peakFlops());
        putOrNull(root, "peer_matmul_peak_flops", r.peerPeakFlops());
        root.put("matmul_n", r.peak().n());
        root.put("threads", r.settings().threads());
        root.put("batch", r.settings().batch());
        root.put("seq", r.settings().seq());
        root.put("memory_pattern", r.settings().memoryPattern());
        root.put("ratio_refused", r.refusal());
        root.put("peer_skipped", r.torchNote());
        ObjectNode loads = root.putObject("loads");
        r.loads().forEach(loads::put);
        ObjectNode machine = root.putObject("machine");
        r.machine().forEach(machine::put);
        var settings = root.putArray("settings");
        double better = r.betterPeakFlops();
        for (TrainBenchReport.Row row : r.rows()) {
            ObjectNode o = settings.addObject();
            boolean peer = row.torch() != null;
            double flop = row.flops().total();
            o.put("name", row.mode().cliName());
            o.put("tokens_per_s", row.ortune().tokensPerS());
            putOrNull(o, "peer_tokens_per_s", peer ? row.torchTokensPerS(r.settings()) : Double.NaN);
            putOrNull(o, "ratio", r.ratio(row));
            o.put("peak_rss_bytes", Math.round(row.ortune().peakRssMiB() * MIB));
            if (peer) {
                o.put("peer_peak_rss_bytes", Math.round(row.torchPeakRssMiB() * MIB));
                o.put("peer_trainable_params", row.torch().path("trainable_params").asLong());
            } else {
                o.putNull("peer_peak_rss_bytes");
                o.putNull("peer_trainable_params");
            }
            o.put("trainable_params", row.artifacts().trainableElements());
            o.put("flop_per_step", flop);
            o.put("median_step_s", row.ortune().medianStepS());
            double peerStep = peer ? row.torch().path("step_s").path("median").asDouble(Double.NaN) : Double.NaN;
            putOrNull(o, "peer_median_step_s", peerStep);
            o.put("flops", flop / row.ortune().medianStepS());
            putOrNull(o, "peer_flops", flop / peerStep);
            o.put("share_of_better_peak", flop / row.ortune().medianStepS() / better);
            putOrNull(o, "peer_share_of_better_peak", flop / peerStep / better);
        }
        return root;
    }

    /** Writes {@link #of} to {@code file}, indented. */
    public static void write(TrainBenchReport r, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.writeString(file, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                .writeValueAsString(of(r)) + "\n");
    }

    private static void putOrNull(ObjectNode o, String key, double v) {
        if (Double.isFinite(v)) {
            o.put(key, v);
        } else {
            o.putNull(key);
        }
    }
}
