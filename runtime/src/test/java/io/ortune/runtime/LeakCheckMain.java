package io.ortune.runtime;

import io.ortune.graph.ir.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.bytedeco.javacpp.Pointer;

/**
 * The body of {@link NativeLeakTest}, run in a child JVM whose heap is fixed and pre-touched, so that resident memory
 * only moves when native memory does. Prints {@code key=value} lines for the test to read.
 *
 * <p>Argument {@code clean} runs correctly; {@code forget-outputs} deliberately never closes the native outputs, to
 * show that the check notices a leak.
 */
public final class LeakCheckMain {

    static final int N = 1024;

    private LeakCheckMain() {
    }

    public static void main(String[] args) throws IOException {
        boolean forget = args.length > 0 && args[0].equals("forget-outputs");
        int warmup = Integer.parseInt(args.length > 1 ? args[1] : "2000");
        int runs = Integer.parseInt(args.length > 2 ? args[2] : "10000");
        float[] a = new float[N];
        float[] b = new float[N];
        for (int i = 0; i < N; i++) {
            a[i] = i;
            b[i] = 1;
        }
        long[] dims = {N};
        Map<String, Tensor> feeds = Map.of("a", Tensor.ofFloats("a", dims, a), "b", Tensor.ofFloats("b", dims, b));
        try (InferenceSession s = InferenceSession.fromBytes(TestModels.sumAndProduct(N));
             InferenceSession hot = InferenceSession.fromBytes(TestModels.addOverridable(N));
             NativeTensor na = NativeTensor.fromTensor(feeds.get("a"));
             NativeTensor nb = NativeTensor.fromTensor(feeds.get("b"))) {
            Map<String, NativeTensor> nativeFeeds = Map.of("a", na, "b", nb);
            Paths p = new Paths(s, hot, feeds, nativeFeeds, TestModels.loraAdapter("w", b));
            runAll(p, warmup, false);
            long javacppBefore = Pointer.totalBytes();
            Map<String, Long> before = memoryKb();
            int right = runAll(p, runs, forget);
            Map<String, Long> after = memoryKb();
            System.out.println("runs=" + runs);
            System.out.println("correct=" + right);
            for (String key : before.keySet()) {
                System.out.println(key + "BeforeKb=" + before.get(key));
                System.out.println(key + "AfterKb=" + after.get(key));
            }
            System.out.println("javacppBefore=" + javacppBefore);
            System.out.println("javacppAfter=" + Pointer.totalBytes());
        }
    }

    /** The sessions, feeds and adapter file the run paths use. */
    private record Paths(InferenceSession s, InferenceSession hot, Map<String, Tensor> feeds,
                         Map<String, NativeTensor> nativeFeeds, byte[] adapter) { }

    /**
     * The IR path (copy in, copy out), the native path (ORT-allocated outputs) and the LoRA path (an adapter loaded,
     * activated for one run of {@code y = x + w} and released), {@code runs} times each.
     */
    private static int runAll(Paths p, int runs, boolean forget) {
        int right = 0;
        Map<String, Tensor> x = Map.of("x", p.feeds().get("a"));
        for (int i = 0; i < runs; i++) {
            Map<String, Tensor> out = p.s().run(p.feeds());
            right += out.get("sum").toFloats()[N - 1] == N ? 1 : 0;
            NativeOutputs no = p.s().runNative(p.nativeFeeds(), List.of("prod"));
            right += no.get("prod").buffer().getFloat(4 * (N - 1)) == N - 1 ? 1 : 0;
            if (!forget) {
                no.close();
            }
            try (LoraAdapter a = LoraAdapter.fromBytes(p.adapter(), "leak");
                 RunOptions o = RunOptions.create().activate(a)) {
                right += p.hot().run(x, o).get("y").toFloats()[N - 1] == N ? 1 : 0; // w = 1 from the adapter
            }
        }
        return right;
    }

    /**
     * VmRSS, RssAnon and RssFile after a GC and {@code malloc_trim}, so that memory freed but kept by malloc does not
     * count.
     */
    private static Map<String, Long> memoryKb() throws IOException {
        System.gc();
        Pointer.trimMemory();
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            for (String key : new String[] {"VmRSS", "RssAnon", "RssFile"}) {
                if (line.startsWith(key + ":")) {
                    out.put(Character.toLowerCase(key.charAt(0)) + key.substring(1),
                            Long.parseLong(line.replaceAll("\\D+", "")));
                }
            }
        }
        return out;
    }
}
