package io.ortune.bench.harness;

import java.util.List;

/** Hand-made results (no ONNX Runtime) for file-format and report tests. */
final class SampleResults {

    private SampleResults() {
    }

    static LatencyStats stats(double p50) {
        return new LatencyStats(20, p50 * 0.9, p50 * 1.01, p50, p50 * 1.1, p50 * 1.15, p50 * 1.3, p50 * 1.4,
                p50 * 0.01, 0.0099);
    }

    /** fp32 and int8 at batch 1 and 8, seq 128, on cpu; plus a skipped cuda case. */
    static BenchResults sample() {
        MachineDescription m = new MachineDescription("Test CPU", List.of("avx2"), 2, "1", "1.0 GiB", "Linux",
                "Java 17", "1.24.1", "not found", "none");
        BenchSettingsRecord s = new BenchSettingsRecord(List.of("cpu", "cuda"), List.of(1, 8), List.of(128),
                "5 runs", "20 runs", 2, 1, 0, 1.0, 0);
        List<BenchResult> rs = List.of(ok("fp32.onnx", "fp32", 1, 4.0), ok("fp32.onnx", "fp32", 8, 20.0),
                ok("int8.onnx", "int8", 1, 2.0), ok("int8.onnx", "int8", 8, 9.0),
                BenchResult.skipped("int8.onnx", "/m/int8.onnx", "cuda", "int8", 1, 128, 2, "no GPU", 0.5, false));
        return new BenchResults(BenchResults.SCHEMA, "2026-12-02T05:00:00Z", s, m, rs, List.of("a warning"));
    }

    static BenchResult ok(String model, String precision, int batch, double p50) {
        LatencyStats l = stats(p50);
        return new BenchResult(model, "/m/" + model, "cpu", precision, batch, 128, BenchResult.Status.OK, null, 2, 5,
                30.0, l, batch * 1000 / l.mean(), batch * 128 * 1000 / l.mean(), null, 0.5, false);
    }
}
