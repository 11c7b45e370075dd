package io.ortune.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RooflineTest {

    /** Hand-made limits: 100 GFLOP/s, 10 GB/s. */
    private static final MachineLimits LIMITS = new MachineLimits(100, 10, 2, "test", "test");

    /** Closed-form answers; tolerance |a−b| ≤ 1e-9·|b| (only double rounding). */
    private static void close(double expected, double actual) {
        assertTrue(Math.abs(actual - expected) <= 1e-9 * Math.abs(expected), expected + " vs " + actual);
    }

    @Test
    void forwardFlopsIsTwoParamsTokens() {
        close(2.0 * 124_000_000L * 128, Roofline.forwardFlops(124_000_000L, 128));
        assertThrows(IllegalArgumentException.class, () -> Roofline.forwardFlops(-1, 1));
    }

    @Test
    void shareOfPeak() {
        // 1e6 params, 5000 tokens/s -> 2e6 * 5000 = 1e10 FLOP/s = 10% of 100 GFLOP/s
        close(0.1, Roofline.shareOfPeak(1_000_000, 5000, LIMITS));
        assertEquals("10.0% of matmul peak (100.0 GFLOP/s)", Roofline.formatPeak(1_000_000, 5000, LIMITS));
    }

    @Test
    void decodeBoundIsBandwidthOverWeightBytes() {
        // 10 GB/s over 1e9 bytes -> 10 tokens/s per sequence; batch 4 -> 40
        close(10, Roofline.decodeBoundTokensPerS(1_000_000_000L, LIMITS));
        assertEquals("20 tokens/s vs bound 40 tokens/s (50.0%; 10.0 GB/s / 1000000000 B per step)",
                Roofline.formatDecode(20, 4, 1_000_000_000L, LIMITS));
        assertThrows(IllegalArgumentException.class, () -> Roofline.decodeBoundTokensPerS(0, LIMITS));
    }

    @Test
    void limitsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new MachineLimits(0, 1, 1, "a", "b"));
        assertThrows(IllegalArgumentException.class, () -> new MachineLimits(1, Double.NaN, 1, "a", "b"));
    }
}
