package io.ortune.bench.jmh;

import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import java.io.IOException;
import java.nio.file.Path;
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
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * GPT-2 byte-level BPE on a ~1 KB English paragraph: encode and decode. The tokenizer is
 * {@code testdata/tokenizers/gpt2} (system property {@code ortune.root}, default the working directory).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenizerBenchmark {

    static final String TEXT = ("Once upon a time, in a small village by the sea, there lived a curious girl who "
            + "collected shells. Every morning she walked along the shore, counting waves and naming the gulls. "
            + "One day she found a bottle with a map inside; it showed an island nobody in the village had seen. ")
            .repeat(4);

    private Tokenizer tokenizer;
    private int[] ids;

    @Setup
    public void setUp() throws IOException {
        Path root = Path.of(System.getProperty("ortune.root", "."));
        tokenizer = Tokenizers.load(root.resolve("testdata/tokenizers/gpt2"));
        ids = tokenizer.encode(TEXT);
    }

    @TearDown
    public void tearDown() throws Exception {
        tokenizer.close();
    }

    @Benchmark
    public int[] encode() {
        return tokenizer.encode(TEXT);
    }

    @Benchmark
    public String decode() {
        return tokenizer.decode(ids);
    }
}
