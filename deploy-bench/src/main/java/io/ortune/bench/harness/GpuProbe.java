package io.ortune.bench.harness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * A tiny probe for NVIDIA hardware and TensorRT, without loading any native library: a GPU device node
 * ({@code /dev/nvidia0}) and a {@code libnvinfer.so*} in the usual library folders (or {@code LD_LIBRARY_PATH}).
 *
 * @param device    the device node found, or null
 * @param libnvinfer the TensorRT library found, or null
 */
record GpuProbe(Path device, Path libnvinfer) {

    private static final List<String> LIB_DIRS = List.of("/usr/lib/x86_64-linux-gnu", "/usr/lib64", "/usr/lib",
            "/usr/local/lib", "/usr/local/cuda/lib64", "/usr/local/tensorrt/lib");

    static GpuProbe probe() {
        Path dev = Path.of("/dev/nvidia0");
        return new GpuProbe(Files.exists(dev) ? dev : null, findNvinfer().orElse(null));
    }

    /** Why TensorRT cannot run here, or empty when both a GPU and libnvinfer were found. */
    Optional<String> tensorRtMissing() {
        if (device == null) {
            return Optional.of("no NVIDIA GPU (no /dev/nvidia0)");
        }
        if (libnvinfer == null) {
            return Optional.of("no TensorRT library (libnvinfer.so* not in " + LIB_DIRS + " or LD_LIBRARY_PATH)");
        }
        return Optional.empty();
    }

    String gpuSummary() {
        return device == null ? "none (no /dev/nvidia0)" : "NVIDIA device " + device;
    }

    String tensorRtSummary() {
        return libnvinfer == null ? "not found (no libnvinfer.so*)" : libnvinfer.toString();
    }

    private static Optional<Path> findNvinfer() {
        String ld = System.getenv("LD_LIBRARY_PATH");
        java.util.ArrayList<String> dirs = new java.util.ArrayList<>(LIB_DIRS);
        if (ld != null && !ld.isBlank()) {
            dirs.addAll(0, List.of(ld.split(":")));
        }
        for (String d : dirs) {
            Path dir = Path.of(d);
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (var s = Files.list(dir)) {
                Optional<Path> hit = s.filter(p -> p.getFileName().toString().startsWith("libnvinfer.so")).findFirst();
                if (hit.isPresent()) {
                    return hit;
                }
            } catch (java.io.IOException e) {
                // an unreadable folder holds nothing we can load
            }
        }
        return Optional.empty();
    }
}
