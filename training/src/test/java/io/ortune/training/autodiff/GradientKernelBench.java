package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.runtime.GraphOptimizationLevel;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.BiFunction;

/**
 * Standard-op vs ONNX Runtime-kernel backward of single ops on transformer-sized tensors (not a test; run by hand):
 *
 * <pre>
 * java -cp ... io.ortune.training.autodiff.GradientKernelBench [threads] [repeats]
 * </pre>
 *
 * Each op y = f(x) is differentiated with L = sum(y * dy), dy a graph input, and both gradient models are run
 * with ONNX Runtime's optimizations on and off; the forward-only time is subtracted to give the backward time.
 * Prints the fastest of {@code repeats} runs after 3 warm-up runs (the minimum is the figure least disturbed by
 * other processes on a shared machine), and the median.
 */
public final class GradientKernelBench {

    private GradientKernelBench() {
    }

    public static void main(String[] args) {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int repeats = args.length > 1 ? Integer.parseInt(args[1]) : 10;
        run("LayerNormalization [8,512,768]", new long[] {8, 512, 768}, 17,
                (b, x) -> b.layerNorm(x, b.initializer("s", ones(768)), b.initializer("bias", ones(768)), -1, 1e-5f),
                threads, repeats);
        run("Softmax [4,12,512,512] axis -1", new long[] {4, 12, 512, 512}, 17, (b, x) -> b.softmax(x, -1),
                threads, repeats);
        run("Gelu (tanh) [8,512,3072]", new long[] {8, 512, 3072}, 20, (b, x) -> b.gelu(x, "tanh"), threads, repeats);
    }

    private static Tensor ones(int n) {
        float[] v = new float[n];
        Arrays.fill(v, 1f);
        return Tensor.ofFloats("t", new long[] {n}, v);
    }

    private static void run(String what, long[] dims, int opset, BiFunction<GraphBuilder, Value, Value> op,
                            int threads, int repeats) {
        GraphBuilder b = GraphBuilder.create("bench", opset);
        Object[] d = Arrays.stream(dims).boxed().toArray();
        Value x = b.input("x", DataType.FLOAT, d);
        Value dy = b.input("dy", DataType.FLOAT, d);
        Value y = op.apply(b, x);
        b.output(b.reduceSum(b.mul(y, dy), null, false), "L");
        Model m = b.model();
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x", random("x", dims, 1));
        feeds.put("dy", random("dy", dims, 2));
        for (GraphOptimizationLevel level : List.of(GraphOptimizationLevel.ALL, GraphOptimizationLevel.DISABLED)) {
            SessionOptions so = SessionOptions.builder().optimizationLevel(level).intraOpThreads(threads).build();
            double[] forward = time(m, so, feeds, List.of("L"), repeats);
            double[] standard = time(Autodiff.differentiate(m, "L", TrainableSet.names("x")).model(), so, feeds,
                    List.of("L", "x_grad"), repeats);
            double[] fused = time(Autodiff.differentiate(m, "L", TrainableSet.names("x"),
                    AutodiffOptions.defaults().withOrtGradientKernels(true)).model(), so, feeds,
                    List.of("L", "x_grad"), repeats);
            System.out.printf("%-30s opt %-8s %d threads | wall min (median) ms: forward %6.1f (%6.1f), "
                    + "+backward standard %6.1f (%6.1f), ORT kernels %6.1f (%6.1f) | CPU ms per run: forward %6.1f, "
                    + "+backward standard %6.1f, ORT kernels %6.1f%n", what, level, threads, forward[0], forward[1],
                    standard[0], standard[1], fused[0], fused[1], forward[2], standard[2], fused[2]);
        }
    }

    /** User + system CPU time of this process (all threads, ONNX Runtime's included), from /proc/self/stat. */
    private static long cpuMillis() {
        try {
            String stat = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static Tensor random(String name, long[] dims, long seed) {
        Random r = new Random(seed);
        float[] v = new float[(int) GradCheck.count(dims)];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(name, dims, v);
    }

    /** {fastest wall, median wall, mean process CPU} milliseconds per run. */
    private static double[] time(Model m, SessionOptions so, Map<String, Tensor> feeds, List<String> outs,
                                 int repeats) {
        Map<String, NativeTensor> natives = new LinkedHashMap<>();
        feeds.forEach((k, v) -> natives.put(k, NativeTensor.fromTensor(v)));
        try (InferenceSession s = InferenceSession.fromBytes(Ort.bytes(m), so, "bench")) {
            List<Double> times = new ArrayList<>();
            long cpu0 = 0;
            for (int i = 0; i < repeats + 3; i++) {
                if (i == 3) {
                    cpu0 = cpuMillis();
                }
                long t0 = System.nanoTime();
                try (NativeOutputs o = s.runNative(natives, outs)) {
                    if (i >= 3) {
                        times.add((System.nanoTime() - t0) / 1e6);
                    }
                }
            }
            double cpu = (cpuMillis() - cpu0) / (double) repeats;
            times.sort(null);
            return new double[] {times.get(0), times.get(times.size() / 2), cpu};
        } finally {
            natives.values().forEach(NativeTensor::close);
        }
    }
}
