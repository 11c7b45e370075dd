package io.ortune.bench.jmh;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.NativeTensor;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Moving tensors between the Java heap and ONNX Runtime: token ids in ({@code [batch, 128]} int64), logits out
 * ({@code [batch, vocab]} float32 copied to the heap).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TensorMarshallingBenchmark {

    @Param({"1", "8"})
    int batch;

    private Tensor ids;
    private NativeTensor logits;

    @Setup
    public void setUp() {
        long[] data = new long[batch * 128];
        SplittableRandom r = new SplittableRandom(0);
        for (int i = 0; i < data.length; i++) {
            data[i] = r.nextInt(50257);
        }
        ids = Tensor.ofLongs("input_ids", new long[] {batch, 128}, data);
        logits = NativeTensor.allocate(DataType.FLOAT, new long[] {batch, 50257});
        java.nio.ByteBuffer b = logits.buffer();
        while (b.remaining() >= Float.BYTES) {
            b.putFloat((float) r.nextGaussian());
        }
    }

    @TearDown
    public void tearDown() {
        logits.close();
    }

    /** Heap ids to a native tensor and release it. */
    @Benchmark
    public long idsToNative() {
        try (NativeTensor t = NativeTensor.fromTensor(ids)) {
            return t.byteSize();
        }
    }

    /** Native logits to a heap float array. */
    @Benchmark
    public float[] logitsToHeap() {
        return logits.toTensor("logits").toFloats();
    }
}
