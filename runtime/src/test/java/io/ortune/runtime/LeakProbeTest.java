package io.ortune.runtime;

import io.ortune.graph.ir.Tensor;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LeakProbeTest {
    static final int N = 1024;
    @Test
    void probe() throws Exception {
        String mode = System.getProperty("probe.mode", "both");
        float[] a = new float[N];
        float[] b = new float[N];
        long[] dims = {N};
        Map<String, Tensor> feeds = Map.of("a", Tensor.ofFloats("a", dims, a), "b", Tensor.ofFloats("b", dims, b));
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.sumAndProduct(N));
             NativeTensor na = NativeTensor.fromTensor(feeds.get("a"));
             NativeTensor nb = NativeTensor.fromTensor(feeds.get("b"))) {
            Map<String, NativeTensor> nf = Map.of("a", na, "b", nb);
            for (int round = 0; round < 15; round++) {
                for (int i = 0; i < 2000; i++) {
                    if (mode.equals("both") || mode.equals("ir")) s.run(feeds);
                    if (mode.equals("both") || mode.equals("native")) {
                        try (NativeOutputs no = s.runNative(nf, List.of("prod"))) { no.get("prod").buffer(); }
                    }
                    if (mode.equals("tensor")) { NativeTensor.fromTensor(feeds.get("a")).close(); }
                }
                System.gc();
                Runtime r = Runtime.getRuntime();
                System.out.printf("%s round %d rss %d kB heapCommitted %d kB%n", mode, round, rss(), r.totalMemory() / 1024);
            }
        }
    }
    static long rss() throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/self/status"))) if (l.startsWith("VmRSS:")) return Long.parseLong(l.replaceAll("\\D+", ""));
        return -1;
    }
}
