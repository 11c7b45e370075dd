package io.ortune.bench.train;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class PeerFairnessTest {

    private static final List<String> OPENBLAS = List.of(
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libblas.so.3",
            "/usr/lib/x86_64-linux-gnu/openblas-pthread/libopenblasp-r0.3.21.so");
    private static final List<String> REFERENCE = List.of("/usr/lib/x86_64-linux-gnu/blas/libblas.so.3.11.0",
            "/usr/lib/x86_64-linux-gnu/lapack/liblapack.so.3.11.0");

    @Test
    void fastOptimizedPeerGetsARatio() {
        assertThat(PeerFairness.refusal(OPENBLAS, 235e9, 174e9)).isNull();
        // exactly half is still fair
        assertThat(PeerFairness.refusal(OPENBLAS, 87e9, 174e9)).isNull();
    }

    @Test
    void peerUnderHalfOfOrtPeakIsRefused() {
        String why = PeerFairness.refusal(OPENBLAS, 43e9, 174e9);
        assertThat(why).contains("43.0 GFLOP/s", "174.0 GFLOP/s", "under half");
    }

    @Test
    void referenceBlasIsRefusedWhateverItsPeak() {
        assertThat(PeerFairness.optimizedBlas(REFERENCE)).isFalse();
        assertThat(PeerFairness.refusal(REFERENCE, 500e9, 174e9)).contains("reference BLAS", "libblas.so.3.11.0");
        assertThat(PeerFairness.refusal(List.of(), 500e9, 174e9)).contains("no BLAS library");
    }

    @Test
    void otherOptimizedLibrariesCount() {
        assertThat(PeerFairness.optimizedBlas(List.of("/opt/intel/lib/libmkl_rt.so.2"))).isTrue();
        assertThat(PeerFairness.optimizedBlas(List.of("/usr/lib/libblis.so.4"))).isTrue();
        // a folder name is not a library
        assertThat(PeerFairness.optimizedBlas(List.of("/opt/openblas/lib/libblas.so.3"))).isFalse();
    }

    @Test
    void unmeasuredPeakIsRefused() {
        assertThat(PeerFairness.refusal(OPENBLAS, Double.NaN, 174e9)).contains("not measured");
    }

    @Test
    void readsTheScriptsJson() throws Exception {
        var json = new ObjectMapper().readTree("{\"blas\":{\"loaded_libraries\":[\"" + OPENBLAS.get(1) + "\"]},"
                + "\"matmul_peak\":{\"peak_flops\":6.0e10}}");
        assertThat(PeerFairness.refusal(json, 174e9)).contains("60.0 GFLOP/s");
        assertThat(PeerFairness.refusal(json, 100e9)).isNull();
    }
}
