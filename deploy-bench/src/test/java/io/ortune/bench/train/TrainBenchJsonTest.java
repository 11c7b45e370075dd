package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class TrainBenchJsonTest {

    private static TrainBenchReport report(double peerPeak, Path dir) throws Exception {
        TrainBenchSettings s = TrainBenchSettings.defaults(dir, dir);
        BenchArtifacts.Built built = new BenchArtifacts.Built(TrainMode.LORA_QV, dir, 589_824, 124_439_808, 1, 1,
                List.of());
        // ortune: median step 2 s at 4 × 256 tokens = 512 tokens/s, peak RSS 1024 MiB
        OrtTrainRun ort = new OrtTrainRun(TrainMode.LORA_QV, 2.0, 1.9, 2.2, 512, 3, 800, 1024, 11, 10.9, 589_824);
        JsonNode torch = new ObjectMapper().readTree("{\"trainable_params\":589824,\"peak_rss_mib\":2048,"
                + "\"step_s\":{\"median\":4.0,\"min\":3.9,\"max\":4.4},\"tokens_per_s\":250,\"losses\":[11,10.9]}");
        TrainingFlops flops = TrainingFlops.of(BenchArtifacts.config(), TrainMode.LORA_QV, 4, 256);
        TrainBenchReport.Row row = new TrainBenchReport.Row(TrainMode.LORA_QV, built, flops, ort, torch, "cmd");
        MatMulPeak peak = new MatMulPeak(2048, 2, 10, 0.1, 0.11); // 171.8 GFLOP/s
        JsonNode peer = new ObjectMapper().readTree("{\"blas\":{\"loaded_libraries\":[\"/usr/lib/x86_64-linux-gnu/"
                + "openblas-pthread/libopenblasp-r0.3.21.so\"]},\"matmul_peak\":{\"peak_flops\":" + peerPeak + "}}");
        return new TrainBenchReport(s, List.of(row), peak, peer, PeerFairness.refusal(peer, peak.peakFlops()), null,
                Map.of("CPU", "test"), Map.of("at the start", "1.00 1.00 1.00"), "2026-12-02 04:00", 1, List.of());
    }

    @Test
    void contractKeysPerSetting(@TempDir Path dir) throws Exception {
        TrainBenchReport r = report(235e9, dir);
        Path file = dir.resolve("out/bench.json");
        TrainBenchJson.write(r, file);
        JsonNode j = new ObjectMapper().readTree(Files.readString(file));
        assertThat(j.path("ort_matmul_peak_flops").asDouble()).isCloseTo(2.0 * 2048 * 2048 * 2048 / 0.1,
                within(1.0));
        assertThat(j.path("peer_matmul_peak_flops").asDouble()).isEqualTo(235e9);
        assertThat(j.path("ratio_refused").isNull()).isTrue();
        JsonNode row = j.path("settings").path(0);
        assertThat(row.path("name").asText()).isEqualTo("lora-qv");
        assertThat(row.path("tokens_per_s").asDouble()).isEqualTo(512);
        assertThat(row.path("peer_tokens_per_s").asDouble()).isEqualTo(1024 / 4.0);
        assertThat(row.path("ratio").asDouble()).isEqualTo(2.0);
        assertThat(row.path("peak_rss_bytes").asLong()).isEqualTo(1L << 30);
        assertThat(row.path("peer_peak_rss_bytes").asLong()).isEqualTo(2L << 30);
        assertThat(row.path("trainable_params").asLong()).isEqualTo(589_824);
        assertThat(row.path("peer_trainable_params").asLong()).isEqualTo(589_824);
        // share of the better peak (the peer's 235 GFLOP/s here)
        assertThat(row.path("share_of_better_peak").asDouble()).isCloseTo(
                TrainingFlops.of(BenchArtifacts.config(), TrainMode.LORA_QV, 4, 256).total() / 2.0 / 235e9,
                within(1e-12));
    }

    @Test
    void refusedRatioIsNullWithItsReason(@TempDir Path dir) throws Exception {
        TrainBenchReport r = report(43e9, dir);
        JsonNode j = TrainBenchJson.of(r);
        assertThat(j.path("ratio_refused").asText()).contains("under half");
        assertThat(j.path("settings").path(0).path("ratio").isNull()).isTrue();
        assertThat(j.path("settings").path(0).path("peer_tokens_per_s").asDouble()).isEqualTo(256);
        String md = r.markdown("./ortune bench-train");
        assertThat(md).contains("| refused |", "No ortune / PyTorch ratio is given", "43.0 GFLOP/s");
    }
}
