package io.ortune.bench.harness;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The busy flag's measure: cores used by other processes, from closed-form tick counts and a live sample. */
class OtherCpuUseTest {

    @Test
    void coresAreOthersBusyTicksOverTheWindowsWallTicks() {
        // 2 CPUs, a 100-tick window (200 ticks in all): 150 busy, 50 of them ours -> others kept 1 core busy
        assertThat(OtherCpuUse.cores(150, 200, 50, 2)).isCloseTo(1.0, within(1e-12));
        // all busy ticks are ours -> 0; our ticks counted with a rounding excess -> clamped at 0, never negative
        assertThat(OtherCpuUse.cores(50, 200, 50, 2)).isZero();
        assertThat(OtherCpuUse.cores(40, 200, 50, 2)).isZero();
        assertThat(OtherCpuUse.cores(10, 0, 0, 2)).isNaN();
    }

    @Test
    void aLiveSampleSeesABusyThreadOfThisProcessAsOwnNotOthers() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(Path.of("/proc/stat")), "needs Linux /proc");
        double idle = OtherCpuUse.sample(300);
        assertThat(idle).isBetween(0.0, (double) Runtime.getRuntime().availableProcessors());
        // a spinning thread of this JVM is ours: others' use stays well below the whole core it takes
        Thread spin = new Thread(() -> {
            long end = System.nanoTime() + 600_000_000L;
            double x = 0;
            while (System.nanoTime() < end) {
                x += Math.sqrt(x + 1);
            }
            if (x < 0) {
                System.out.println(x);
            }
        });
        spin.start();
        double withSpin = OtherCpuUse.sample(400);
        spin.join();
        assertThat(withSpin).as("own spinning thread not counted as others (idle sample %.2f)", idle)
                .isLessThan(idle + 0.6);
    }
}
