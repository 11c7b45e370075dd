package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.Test;

/**
 * Leak check, not a timing test: 10,000 runs of a small model through each run path must not grow the process's
 * resident memory by more than {@value #BOUND_MB} MB after warm-up. Each run allocates and releases native input
 * copies, output values and name arrays; forgetting any of them leaks at least 100 bytes a run (1 MB over the loop),
 * a forgotten output tensor leaks 4 KB a run (40 MB).
 */
class NativeLeakTest {

    private static final int RUNS = 10_000;
    private static final long BOUND_MB = 20;
    private static final int N = 1024;

    @Test
    void tenThousandRunsDoNotLeak() throws IOException {
        float[] a = new float[N];
        float[] b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
            b[i] = 1;
        }
        long[] dims = {N};
        Map<String, Tensor> feeds = Map.of("a", Tensor.ofFloats("a", dims, a), "b", Tensor.ofFloats("b", dims, b));
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.sumAndProduct(N));
             NativeTensor na = NativeTensor.fromTensor(feeds.get("a"));
             NativeTensor nb = NativeTensor.fromTensor(feeds.get("b"))) {
            Map<String, NativeTensor> nativeFeeds = Map.of("a", na, "b", nb);
            runAll(s, feeds, nativeFeeds, 2_000);
            long javacppBefore = Pointer.totalBytes();
            System.out.println("heap committed before " + Runtime.getRuntime().totalMemory() / 1024);
            long rssBefore = rssKb();

            runAll(s, feeds, nativeFeeds, RUNS);

            long rssAfter = rssKb();
            long growthKb = rssAfter - rssBefore;
            System.out.printf("native leak check: VmRSS %d kB -> %d kB after %d runs per path (growth %d kB, bound %d MB);"
                    + " JavaCPP-tracked bytes %d -> %d; heap committed %d kB%n", rssBefore, rssAfter, RUNS, growthKb,
                    BOUND_MB, javacppBefore, Pointer.totalBytes(), Runtime.getRuntime().totalMemory() / 1024);
            assertThat(growthKb).as("VmRSS growth in kB over %d runs", RUNS).isLessThan(BOUND_MB * 1024);
            assertThat(Pointer.totalBytes()).as("JavaCPP-allocated bytes").isLessThanOrEqualTo(javacppBefore);
        }
    }

    /** The IR path (copy in, copy out) and the native path (ORT-allocated outputs), {@code runs} times each. */
    private static void runAll(InferenceSession s, Map<String, Tensor> feeds, Map<String, NativeTensor> nativeFeeds,
                               int runs) {
        int right = 0;
        for (int i = 0; i < runs; i++) {
            Map<String, Tensor> out = s.run(feeds);
            right += out.get("sum").toFloats()[N - 1] == N ? 1 : 0;
            try (NativeOutputs no = s.runNative(nativeFeeds, List.of("prod"))) {
                right += no.get("prod").buffer().getFloat(4 * (N - 1)) == N - 1 ? 1 : 0;
            }
        }
        assertThat(right).as("correct results").isEqualTo(2 * runs);
    }

    private static long rssKb() throws IOException {
        System.gc();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("\\D+", ""));
            }
        }
        throw new IllegalStateException("no VmRSS line in /proc/self/status");
    }
}
