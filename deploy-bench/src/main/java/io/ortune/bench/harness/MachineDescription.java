package io.ortune.bench.harness;

import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The machine a benchmark ran on, as recorded in {@code results.json}.
 *
 * @param cpu            CPU model name ({@code lscpu})
 * @param cpuFlags       the vector-ISA flags that matter for inference kernels (avx2, avx512f, avx512_vnni, amx …)
 * @param logicalCpus    logical CPUs the JVM sees
 * @param threadsPerCore hardware threads per core ({@code lscpu}), or "?"
 * @param memory         total RAM, e.g. {@code 23.5 GiB}
 * @param os             OS name and kernel
 * @param java           JVM name and version
 * @param onnxRuntime    ONNX Runtime version and its available execution providers
 * @param tensorRt       the TensorRT probe's finding
 * @param gpu            the GPU probe's finding
 */
public record MachineDescription(String cpu, List<String> cpuFlags, int logicalCpus, String threadsPerCore,
                                 String memory, String os, String java, String onnxRuntime, String tensorRt,
                                 String gpu) {

    private static final List<String> ISA_FLAGS = List.of("sse4_2", "avx", "avx2", "fma", "f16c", "avx512f",
            "avx512bw", "avx512vl", "avx512_vnni", "avx512_bf16", "avx_vnni", "amx_tile", "amx_int8", "amx_bf16");

    public MachineDescription {
        cpuFlags = List.copyOf(cpuFlags);
    }

    /** Probes this machine now. */
    public static MachineDescription describe() {
        String ort;
        try {
            OrtRuntime rt = OrtRuntime.get();
            ort = rt.version() + " (providers " + rt.availableProviders() + ")";
        } catch (RuntimeException | LinkageError e) {
            ort = "unavailable: " + e.getMessage();
        }
        GpuProbe gpu = GpuProbe.probe();
        return new MachineDescription(lscpu("Model name"), isaFlags(), Runtime.getRuntime().availableProcessors(),
                lscpu("Thread(s) per core"), memTotal(), osName(),
                System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"), ort,
                gpu.tensorRtSummary(), gpu.gpuSummary());
    }

    /** Label → value, in display order, for tables. */
    public Map<String, String> asTable() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", cpu + ", " + logicalCpus + " logical CPUs, " + threadsPerCore + " thread(s) per core");
        m.put("CPU flags", String.join(" ", cpuFlags));
        m.put("RAM", memory);
        m.put("OS", os);
        m.put("Java", java);
        m.put("ONNX Runtime", onnxRuntime);
        m.put("TensorRT", tensorRt);
        m.put("GPU", gpu);
        return m;
    }

    /** One {@code lscpu} field, or "?". */
    public static String lscpu(String field) {
        try {
            Process p = new ProcessBuilder("lscpu").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            for (String line : out.split("\n")) {
                if (line.startsWith(field + ":")) {
                    return line.substring(field.length() + 1).trim();
                }
            }
        } catch (IOException e) {
            return "? (lscpu failed: " + e.getMessage() + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return "?";
    }

    /** The ISA flags of interest that {@code /proc/cpuinfo} lists for the first CPU. */
    static List<String> isaFlags() {
        String flags = field(Path.of("/proc/cpuinfo"), "flags");
        List<String> out = new ArrayList<>();
        if (flags == null) {
            return out;
        }
        List<String> have = List.of(flags.replaceFirst("^\\s*:", "").trim().split("\\s+"));
        for (String f : ISA_FLAGS) {
            if (have.contains(f)) {
                out.add(f);
            }
        }
        return out;
    }

    /** Total RAM, e.g. {@code 23.5 GiB}. */
    public static String memTotal() {
        String kb = field(Path.of("/proc/meminfo"), "MemTotal:");
        if (kb == null) {
            return "?";
        }
        long k = Long.parseLong(kb.replace("kB", "").trim());
        return String.format(Locale.ROOT, "%.1f GiB", k / 1024.0 / 1024.0);
    }

    /** OS pretty name and kernel version. */
    public static String osName() {
        String pretty = field(Path.of("/etc/os-release"), "PRETTY_NAME=");
        String name = pretty == null ? System.getProperty("os.name") : pretty.replace("\"", "");
        return name + ", kernel " + System.getProperty("os.version");
    }

    /** The 1-, 5- and 15-minute load averages as text, e.g. {@code 0.52 0.61 0.70}. */
    public static String loadAverages() {
        String s = readOrNull(Path.of("/proc/loadavg"));
        if (s == null) {
            return "?";
        }
        String[] f = s.trim().split(" ");
        return f.length < 3 ? "?" : f[0] + " " + f[1] + " " + f[2];
    }

    /** The 1-minute load average, or NaN when unknown. */
    public static double loadAverage1() {
        String s = readOrNull(Path.of("/proc/loadavg"));
        try {
            return s == null ? Double.NaN : Double.parseDouble(s.trim().split(" ")[0]);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String field(Path file, String prefix) {
        String s = readOrNull(file);
        if (s == null) {
            return null;
        }
        for (String line : s.split("\n")) {
            if (line.startsWith(prefix)) {
                return line.substring(prefix.length()).trim();
            }
        }
        return null;
    }

    static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
