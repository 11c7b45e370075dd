package io.ortune.bench.train;

import io.ortune.bench.MachineInfo;
import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.util.LinkedHashMap;
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
        m.put("RAM", MachineInfo.memTotal());
        m.put("OS", MachineInfo.osName());
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
        return MachineInfo.lscpu(field);
    }

    static String loadAverages() {
        return MachineInfo.loadAverages();
    }
}
