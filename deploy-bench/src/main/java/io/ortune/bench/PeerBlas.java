package io.ortune.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OpenBLAS kernel the PyTorch peer runs on. OpenBLAS 0.3.21 does not recognize newer Intel Xeons and falls back
 * to its slow {@code Prescott} kernels there (measured on one: a 2048³ float32 matmul at 43 GFLOP/s instead of 235
 * with {@code SkylakeX}), so the peer's environment names the best kernel the CPU supports: {@code SkylakeX} with
 * {@code avx512f}, {@code Haswell} with {@code avx2}, else nothing (OpenBLAS's own detection). The machine-wide
 * {@code OPENBLAS_L2_SIZE} override is dropped. Only the peer's process environment is changed.
 *
 * <p>tools/torch_bench.py applies the same rule when started by hand; the harness sets the environment itself and
 * passes {@code --keep-openblas-env}.
 */
public final class PeerBlas {

    /** OpenBLAS's kernel override. */
    public static final String CORETYPE = "OPENBLAS_CORETYPE";
    /** OpenBLAS's L2 size override (dropped). */
    public static final String L2_SIZE = "OPENBLAS_L2_SIZE";

    private PeerBlas() {
    }

    /** The OpenBLAS kernel for a CPU with these {@code /proc/cpuinfo} flags; empty: leave OpenBLAS to decide. */
    public static Optional<String> coreType(Set<String> cpuFlags) {
        if (cpuFlags.contains("avx512f")) {
            return Optional.of("SkylakeX");
        }
        if (cpuFlags.contains("avx2")) {
            return Optional.of("Haswell");
        }
        return Optional.empty();
    }

    /** The flags of the first {@code flags : ...} line of a {@code /proc/cpuinfo} text (empty if there is none). */
    public static Set<String> cpuFlags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                String rest = line.substring(colon + 1).trim();
                return rest.isEmpty() ? Set.of() : new LinkedHashSet<>(Arrays.asList(rest.split("\\s+")));
            }
        }
        return Set.of();
    }

    /** The kernel for this machine, from {@code /proc/cpuinfo} (empty when it cannot be read). */
    public static Optional<String> coreTypeHere() {
        try {
            return coreType(cpuFlags(Files.readString(Path.of("/proc/cpuinfo"), StandardCharsets.UTF_8)));
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** Sets {@code env} for the peer: {@link #CORETYPE} = {@code core} (removed when empty), no {@link #L2_SIZE}. */
    public static void apply(Map<String, String> env, Optional<String> core) {
        env.remove(L2_SIZE);
        env.remove(CORETYPE);
        core.ifPresent(c -> env.put(CORETYPE, c));
    }

    /** The {@code env ...} prefix of a shell command that sets the same environment. */
    public static String envPrefix(Optional<String> core) {
        return core.map(c -> "env -u " + L2_SIZE + " " + CORETYPE + "=" + c)
                .orElse("env -u " + CORETYPE + " -u " + L2_SIZE);
    }
}
