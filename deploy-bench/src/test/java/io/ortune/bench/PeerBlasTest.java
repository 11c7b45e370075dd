package io.ortune.bench;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class PeerBlasTest {

    private static final String XEON = """
            processor\t: 0
            vendor_id\t: GenuineIntel
            model name\t: Intel(R) Xeon(R) Platinum 8481C CPU @ 2.70GHz
            flags\t\t: fpu vme sse sse2 ssse3 sse4_1 sse4_2 avx avx2 fma avx512f avx512dq avx512bw amx_tile
            bugs\t\t: spectre_v1

            processor\t: 1
            flags\t\t: fpu
            """;

    @Test
    void avx512CpuGetsSkylakeX() {
        assertThat(PeerBlas.cpuFlags(XEON)).contains("avx512f", "avx2", "amx_tile").doesNotContain("spectre_v1");
        assertThat(PeerBlas.coreType(PeerBlas.cpuFlags(XEON))).contains("SkylakeX");
    }

    @Test
    void avx2WithoutAvx512GetsHaswell() {
        assertThat(PeerBlas.coreType(Set.of("sse4_2", "avx", "avx2", "fma"))).contains("Haswell");
    }

    @Test
    void olderCpuLeavesOpenBlasToDecide() {
        assertThat(PeerBlas.coreType(Set.of("sse4_2", "avx"))).isEmpty();
        assertThat(PeerBlas.coreType(PeerBlas.cpuFlags("processor : 0\nmodel name : qemu\n"))).isEmpty();
    }

    @Test
    void flagsLineIsFoundByItsKeyNotByAPrefix() {
        assertThat(PeerBlas.cpuFlags("vmx flags\t: ept vpid\nflags\t: avx2\n")).containsExactly("avx2");
        assertThat(PeerBlas.cpuFlags("flags\t:\n")).isEmpty();
    }

    @Test
    void environmentSetsTheCoreAndDropsL2Size() {
        Map<String, String> env = new HashMap<>(Map.of("OPENBLAS_CORETYPE", "Haswell", "OPENBLAS_L2_SIZE", "512",
                "HOME", "/root"));
        PeerBlas.apply(env, Optional.of("SkylakeX"));
        assertThat(env).containsEntry("OPENBLAS_CORETYPE", "SkylakeX").doesNotContainKey("OPENBLAS_L2_SIZE")
                .containsEntry("HOME", "/root");
        PeerBlas.apply(env, Optional.empty());
        assertThat(env).doesNotContainKeys("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE");
        assertThat(PeerBlas.envPrefix(Optional.of("SkylakeX"))).isEqualTo("env -u OPENBLAS_L2_SIZE "
                + "OPENBLAS_CORETYPE=SkylakeX");
        assertThat(PeerBlas.envPrefix(Optional.empty())).isEqualTo("env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE");
    }
}
