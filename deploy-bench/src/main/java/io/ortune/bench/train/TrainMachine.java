package io.ortune.bench.train;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/** The machine and software the training benchmark ran on, label → value in display order. */
final class TrainMachine {

    private TrainMachine() {
    }

    /** CPU, cores, RAM, OS, Java, ONNX Runtime, and PyTorch with its BLAS when {@code torch} (its JSON) is given. */
    static Map<String, String> describe(JsonNode torch, String torchSkipped) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("CPU", lscpu("Model name") + " (lscpu; family " + lscpu("CPU family") + ", model " + lscpu("Model")
                + "), " + lscpu("CPU(s)") + " logical CPUs = " + lscpu("Core(s) per socket") + " core(s) × "
                + lscpu("Thread(s) per core") + " thread(s) per core");
        m.put("RAM", memTotal());
        m.put("OS", osName());
        m.put("Java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("ONNX Runtime", OrtRuntime.get().version() + " (org.bytedeco:onnxruntime " + presetVersion()
                + ", CPU execution provider, training API)");
        if (torch != null) {
            JsonNode blas = torch.path("blas");
            JsonNode ob = blas.path("openblas");
            m.put("PyTorch", torch.path("machine").path("torch").asText() + " eager, Python "
                    + torch.path("machine").path("python").asText());
            m.put("PyTorch BLAS", blas.path("torch_blas_info").asText("?") + ": " + ob.path("config").asText("?")
                    + ", core " + ob.path("corename").asText("?") + ", " + ob.path("parallel").asText("?") + ", "
                    + ob.path("num_threads").asText("?") + " threads (" + blas.path("libblas_so_3").asText("?")
                    + ", package " + blas.path("libblas_provider").asText("?") + ")");
        } else {
            m.put("PyTorch", torchSkipped);
        }
        return m;
    }

    /** The JavaCPP preset's version from its jar ({@code META-INF/maven/.../pom.properties}), or "?". */
    private static String presetVersion() {
        try (var in = TrainMachine.class.getClassLoader()
                .getResourceAsStream("META-INF/maven/org.bytedeco/onnxruntime/pom.properties")) {
            if (in == null) {
                return "?";
            }
            java.util.Properties p = new java.util.Properties();
            p.load(in);
            return p.getProperty("version", "?");
        } catch (IOException e) {
            return "?";
        }
    }

    static String lscpu(String field) {
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

    /** The 1-, 5- and 15-minute load averages as text, e.g. {@code 0.52 0.61 0.70}. */
    static String loadAverages() {
        String s = read(Path.of("/proc/loadavg"));
        if (s == null) {
            return "?";
        }
        String[] f = s.trim().split(" ");
        return f.length < 3 ? "?" : f[0] + " " + f[1] + " " + f[2];
    }

    private static String memTotal() {
        String kb = field(Path.of("/proc/meminfo"), "MemTotal:");
        if (kb == null) {
            return "?";
        }
        long k = Long.parseLong(kb.replace("kB", "").trim());
        return String.format(Locale.ROOT, "%.1f GiB", k / 1024.0 / 1024.0);
    }

    private static String osName() {
        String pretty = field(Path.of("/etc/os-release"), "PRETTY_NAME=");
        String name = pretty == null ? System.getProperty("os.name") : pretty.replace("\"", "");
        return name + ", kernel " + System.getProperty("os.version");
    }

    private static String field(Path file, String prefix) {
        String s = read(file);
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

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }
}
