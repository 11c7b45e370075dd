package io.ortune.tensorrt;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class GpuProbeTest {

    @Test
    void probingNeverThrowsAndGivesAReasonWhenThereIsNoDevice() {
        GpuStatus s = GpuProbe.probe();
        System.out.println("GpuProbe: " + s);
        if (s instanceof GpuStatus.Missing m) {
            assertThat(m.reason()).isNotBlank().containsAnyOf("CUDA", "TensorRT");
        } else {
            GpuStatus.Ready r = (GpuStatus.Ready) s;
            assertThat(r.computeCapability()).matches("\\d+\\.\\d+");
            assertThat(r.tensorRtVersion()).startsWith("10.");
        }
        assertThat(GpuProbe.probe()).isSameAs(s);
    }

    @Test
    void reasonKeepsTheFirstLineOfALinkError() {
        String r = GpuProbe.reason(new UnsatisfiedLinkError("no jnicudart in java.library.path\nsecond line"));
        assertThat(r).isEqualTo("UnsatisfiedLinkError: no jnicudart in java.library.path");
        assertThat(GpuProbe.reason(new NoClassDefFoundError())).isEqualTo("NoClassDefFoundError");
    }
}
