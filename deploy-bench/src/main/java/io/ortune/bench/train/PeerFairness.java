package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether an ortune / PyTorch ratio means anything. A ratio is refused (and the reason printed instead) when the
 * peer's PyTorch runs on a reference BLAS (no OpenBLAS, MKL, BLIS or ATLAS among its loaded libraries), or when the
 * peer's own float32 MatMul peak is under half of ONNX Runtime's: then the ratio measures the peer's BLAS, not
 * ortune.
 */
public final class PeerFairness {

    /** The peer's MatMul peak must be at least this share of ONNX Runtime's. */
    public static final double MIN_PEAK_SHARE = 0.5;

    private static final List<String> OPTIMIZED = List.of("openblas", "mkl", "blis", "atlas");

    private PeerFairness() {
    }

    /**
     * Null when a ratio may be printed, else why not.
     *
     * @param peerLibraries the BLAS-related libraries loaded in the peer's process (file paths)
     * @param peerPeakFlops the peer's measured float32 MatMul peak (NaN or ≤ 0: not measured)
     * @param ortPeakFlops  ONNX Runtime's
     */
    public static String refusal(List<String> peerLibraries, double peerPeakFlops, double ortPeakFlops) {
        if (!optimizedBlas(peerLibraries)) {
            return "no ratio: PyTorch runs on a reference BLAS (loaded: " + (peerLibraries.isEmpty() ? "no BLAS "
                    + "library" : String.join(", ", peerLibraries)) + "), so a ratio would measure its BLAS";
        }
        if (!(peerPeakFlops > 0)) {
            return "no ratio: the peer's MatMul peak was not measured";
        }
        if (peerPeakFlops < MIN_PEAK_SHARE * ortPeakFlops) {
            return String.format(Locale.ROOT, "no ratio: PyTorch's float32 MatMul peak (%.1f GFLOP/s) is under half "
                    + "of ONNX Runtime's (%.1f GFLOP/s), so a ratio would measure its BLAS", peerPeakFlops / 1e9,
                    ortPeakFlops / 1e9);
        }
        return null;
    }

    /** Whether any library's file name names an optimized BLAS. */
    public static boolean optimizedBlas(List<String> libraries) {
        for (String lib : libraries) {
            String name = lib.substring(lib.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            for (String o : OPTIMIZED) {
                if (name.contains(o)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@link #refusal} from the peer script's JSON ({@code blas.loaded_libraries}, {@code matmul_peak}). */
    public static String refusal(JsonNode peerMatmul, double ortPeakFlops) {
        List<String> libs = new ArrayList<>();
        peerMatmul.path("blas").path("loaded_libraries").forEach(n -> libs.add(n.asText()));
        return refusal(libs, peerMatmul.path("matmul_peak").path("peak_flops").asDouble(Double.NaN), ortPeakFlops);
    }
}
