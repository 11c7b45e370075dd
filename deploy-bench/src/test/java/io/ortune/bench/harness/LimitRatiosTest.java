package io.ortune.bench.harness;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Results against machine limits: closed-form ratios, the printed summary, and results.json with and without them. */
class LimitRatiosTest {

    /** 100 GFLOP/s, 10 GB/s. */
    private static final MachineLimits LIMITS = new MachineLimits(100, 10, 2, "mm", "bw");

    /** Only double rounding: |a−b| ≤ 1e-9·|b|. */
    private static void close(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), expected + " vs " + actual);
    }

    private static BenchResults withLimits() {
        BenchResults s = SampleResults.sample();
        return new BenchResults(s.schema(), s.createdUtc(), s.settings(), s.machine(), s.results(), s.warnings(),
                LIMITS, Map.of("fp32.onnx", new ModelWeights(1_000_000, 4_000_000)));
    }

    @Test
    void forwardShareIsTwoParamsTokensPerSecondOverPeak() {
        BenchResults r = withLimits();
        BenchResult fp32 = r.results().get(0);
        LimitRatios x = r.vsLimits(fp32).orElseThrow();
        close(2.0 * 1_000_000 * fp32.tokensPerS() / 100e9, x.matmulPeakShare());
        assertTrue(Double.isNaN(x.decodeBoundTokensPerS()));
        assertFalse(r.vsLimits(r.results().get(2)).isPresent(), "int8 has no recorded weights");
    }

    @Test
    void decodeBoundIsBatchTimesBandwidthOverWeightBytes() {
        BenchResult base = SampleResults.ok("m", "fp32", 4, 10.0);
        GenerationFigures g = new GenerationFigures(8, SampleResults.stats(5), SampleResults.stats(2), 1000, 500);
        BenchResult r = new BenchResult(base.model(), base.path(), base.backend(), base.precision(), 4, 128,
                BenchResult.Status.OK, null, 2, 5, 30.0, base.latencyMs(), base.throughputPerS(), base.tokensPerS(),
                g, 0.5, false);
        LimitRatios x = LimitRatios.of(r, new ModelWeights(1_000_000, 4_000_000), LIMITS).orElseThrow();
        close(2.0 * 1_000_000 * 1000 / 100e9, x.matmulPeakShare());   // prefill 1000 tokens/s -> 2%
        close(4 * 10e9 / 4e6, x.decodeBoundTokensPerS());               // 10,000 tokens/s
        close(500 / 10_000.0, x.decodeBoundShare());
        assertEquals("prefill 2.0% of matmul peak; decode 500 tokens/s = 5.0% of bandwidth bound 10000 tokens/s",
                x.describe(r));
    }

    @Test
    void summaryNamesTheLimitsThenOneLinePerKnownModel() {
        List<String> lines = LimitRatios.summary(withLimits());
        assertEquals(3, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(0).startsWith("machine limits: matmul peak 100.0 GFLOP/s (mm), read bandwidth 10.0"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("  fp32.onnx cpu batch 1 seq 128: forward "), lines.get(1));
        assertTrue(LimitRatios.summary(SampleResults.sample()).isEmpty());
    }

    @Test
    void resultsJsonKeepsLimitsAndReadsOlderFilesWithout(@TempDir Path dir) throws Exception {
        BenchResults r = withLimits();
        ResultsJson.write(r, dir.resolve("results.json"));
        String text = Files.readString(dir.resolve("results.json"));
        assertTrue(text.contains("\"machine_limits\"") && text.contains("\"vs_limits\""), text);
        BenchResults back = ResultsJson.read(dir);
        assertEquals(LIMITS, back.limits());
        assertEquals(r.weights(), back.weights());
        assertEquals(ResultsJson.toJson(r), ResultsJson.toJson(back));

        Path old = dir.resolve("old");
        Files.createDirectories(old);
        ResultsJson.write(SampleResults.sample(), old.resolve("results.json"));
        assertFalse(Files.readString(old.resolve("results.json")).contains("machine_limits"));
        BenchResults oldBack = ResultsJson.read(old);
        assertNull(oldBack.limits());
        assertTrue(oldBack.weights().isEmpty());
    }
}
