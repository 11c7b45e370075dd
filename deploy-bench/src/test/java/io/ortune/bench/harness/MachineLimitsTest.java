package io.ortune.bench.harness;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe gives sane positive figures and is cached; no timing thresholds (speed lives in benchmarks). */
class MachineLimitsTest {

    @Test
    void probeIsPositiveFiniteAndCached() {
        MachineLimits m = MachineLimits.probe(1);
        assertTrue(m.matmulGflops() > 0 && Double.isFinite(m.matmulGflops()), m.toString());
        assertTrue(m.readGbPerS() > 0 && Double.isFinite(m.readGbPerS()), m.toString());
        assertTrue(m.matmulMethod().contains("MatMul 1024"), m.matmulMethod());
        assertSame(m, MachineLimits.probe(1));
    }
}
