package io.ortune.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.bench.harness.MachineDescription;
import io.ortune.runtime.OrtRuntime;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The machine and software a benchmark ran on: CPU, cores, memory, OS, Java, ONNX Runtime, PyTorch and its BLAS.
 * The probes are the harness's ({@link MachineDescription}); this adds the PyTorch peer's side.
 */
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

    /** One {@code lscpu} field, or "?" (see {@link MachineDescription#lscpu}). */
    public static String lscpu(String field) {
        return MachineDescription.lscpu(field);
    }

    /** Total RAM, e.g. {@code 23.5 GiB}. */
    public static String memTotal() {
        return MachineDescription.memTotal();
    }

    /** OS pretty name and kernel version. */
    public static String osName() {
        return MachineDescription.osName();
    }

    /** The 1-, 5- and 15-minute load averages as text, e.g. {@code 0.52 0.61 0.70}. */
    public static String loadAverages() {
        return MachineDescription.loadAverages();
    }

    /** The 1-minute load average, or NaN when unknown. */
    static double loadAverage1() {
        return MachineDescription.loadAverage1();
    }
}
