package io.ortune.bench.jmh;

import io.ortune.models.generate.Sampling;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/** Choosing the next token from GPT-2-sized logits (50,257): greedy argmax, softmax, and a seeded sample. */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class SamplingBenchmark {

    private float[] logits;
    private SplittableRandom random;

    @Setup
    public void setUp() {
        SplittableRandom r = new SplittableRandom(0);
        logits = new float[50257];
        for (int i = 0; i < logits.length; i++) {
            logits[i] = (float) (r.nextGaussian() * 3);
        }
        random = new SplittableRandom(1);
    }

    @Benchmark
    public int argmax() {
        return Sampling.argmax(logits);
    }

    @Benchmark
    public double[] softmax() {
        return Sampling.softmax(logits);
    }

    @Benchmark
    public int sample() {
        return Sampling.sample(logits, random);
    }
}
