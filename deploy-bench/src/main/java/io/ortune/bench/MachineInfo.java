package io.ortune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The machine and software a benchmark ran on: CPU, cores, memory, OS, Java, ONNX Runtime, PyTorch and its BLAS. */
public final class MachineInfo {

    private MachineInfo() {
    }

    /** Label → value, in display order. */
    static Map<String, String> describe(TorchPeer torch) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", lscpu("Model name") + " (lscpu), " + Runtime.getRuntime().availableProcessors()
                + " logical CPUs, " + lscpu("Thread(s) per core") + " thread(s) per core");
        m.put("RAM", memTotal());
        m.put("OS", osName());
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("ONNX Runtime", OrtRuntime.get().version() + " (CPU execution provider, via JavaCPP presets)");
        if (torch.json() != null) {
            JsonNode blas = torch.json().path("blas");
            JsonNode ob = blas.path("openblas");
            m.put("PyTorch", torch.json().path("machine").path("torch").asText() + " eager, Python "
                    + torch.json().path("machine").path("python").asText());
            m.put("PyTorch BLAS", blas.path("torch_blas_info").asText("?") + ": " + ob.path("config").asText("?")
                    + ", core " + ob.path("corename").asText("?") + ", " + ob.path("parallel").asText("?") + " ("
                    + blas.path("libblas_so_3").asText("?") + ")");
        } else {
            m.put("PyTorch", torch.skipped());
        }
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
    static double loadAverage1() {
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

    private static String readOrNull(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
