package io.ortune.bench.train;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * This machine's float32 MatMul peak in ONNX Runtime: one {@code MatMul} of two n×n float32 matrices (2n³ FLOPs) in
 * an inference session with the benchmark's intra-op threads, inputs and output preallocated in native memory so
 * nothing but the kernel is timed; the best of {@code runs} timed runs after 3 warm-ups.
 *
 * @param n        matrix size
 * @param threads  intra-op threads
 * @param runs     timed runs
 * @param bestS    the best run, seconds
 * @param medianS  the median run, seconds
 */
public record MatMulPeak(int n, int threads, int runs, double bestS, double medianS) {

    /** FLOP/s of the best run. */
    public double peakFlops() {
        return flops() / bestS;
    }

    /** FLOP/s of the median run. */
    public double medianFlops() {
        return flops() / medianS;
    }

    /** 2·n³. */
    public double flops() {
        return 2.0 * n * n * n;
    }

    /** Measures. */
    public static MatMulPeak measure(int n, int threads, int runs) throws IOException {
        GraphBuilder b = GraphBuilder.create("matmul_peak");
        Value a = b.input("a", DataType.FLOAT, n, n);
        Value c = b.input("b", DataType.FLOAT, n, n);
        b.output(b.matMul(a, c), "c");
        Model model = b.model();
        SessionOptions options = SessionOptions.builder().intraOpThreads(threads).interOpThreads(1).build();
        long[] dims = {n, n};
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(model), options, "MatMul " + n);
             NativeTensor ta = NativeTensor.wrap(DataType.FLOAT, dims, random(n, 1));
             NativeTensor tb = NativeTensor.wrap(DataType.FLOAT, dims, random(n, 2));
             NativeTensor tc = NativeTensor.allocate(DataType.FLOAT, dims)) {
            Map<String, NativeTensor> feeds = Map.of("a", ta, "b", tb);
            Map<String, NativeTensor> out = Map.of("c", tc);
            for (int i = 0; i < 3; i++) {
                s.runInto(feeds, out);
            }
            double[] t = new double[runs];
            for (int i = 0; i < runs; i++) {
                long t0 = System.nanoTime();
                s.runInto(feeds, out);
                t[i] = (System.nanoTime() - t0) / 1e9;
            }
            double best = java.util.Arrays.stream(t).min().orElseThrow(() -> new IllegalArgumentException(
                    "matmul peak of n=" + n + ": runs must be at least 1, is " + runs));
            return new MatMulPeak(n, threads, runs, best, TrainChild.median(t));
        }
    }

    private static ByteBuffer random(int n, long seed) {
        ByteBuffer buf = ByteBuffer.allocateDirect(Math.multiplyExact(4 * n, n)).order(ByteOrder.LITTLE_ENDIAN);
        SplittableRandom r = new SplittableRandom(seed);
        while (buf.hasRemaining()) {
            buf.putFloat((float) (r.nextDouble() * 2 - 1));
        }
        return buf.flip();
    }
}
