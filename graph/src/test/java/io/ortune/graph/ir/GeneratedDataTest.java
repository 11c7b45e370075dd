package io.ortune.graph.ir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.graph.onnx.WriteOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;

/** Generated tensor data: computed on each read, never kept, written like any other tensor. */
class GeneratedDataTest {

    static GeneratedData counting(AtomicInteger calls, int floats) {
        return new GeneratedData(4L * floats, "ramp", () -> {
            calls.incrementAndGet();
            ByteBuffer b = ByteBuffer.allocate(4 * floats).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < floats; i++) {
                b.putFloat(i * 4, i * 0.5f);
            }
            return b;
        });
    }

    @Test
    void eachReadGeneratesAgainAndNothingIsKept() {
        AtomicInteger calls = new AtomicInteger();
        Tensor t = new Tensor("w", DataType.FLOAT, new long[] {2, 3}, counting(calls, 6));
        assertThat(calls).hasValue(0);
        assertThat(t.toFloats()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
        assertThat(t.toFloats()).containsExactly(0f, 0.5f, 1f, 1.5f, 2f, 2.5f);
        assertThat(calls).hasValue(2);
        assertThat(t.byteSize()).isEqualTo(24);
    }

    @Test
    void aGeneratorOfTheWrongSizeFailsNamingIt() {
        GeneratedData bad = new GeneratedData(8, "short ramp", () -> ByteBuffer.allocate(4));
        assertThatThrownBy(bad::read).hasMessageContaining("short ramp produced 4 bytes, not 8");
        assertThatThrownBy(() -> new GeneratedData(-1, "x", () -> ByteBuffer.allocate(0)))
                .hasMessageContaining("-1 bytes");
    }

    @Test
    void writesInlineAndAsExternalDataLikeHeldBytes(@TempDir Path dir) throws Exception {
        for (WriteOptions options : new WriteOptions[] {WriteOptions.inline(),
            WriteOptions.externalData().withThreshold(0)}) {
            Model m = new Model(new Graph("g"));
            m.opsetImports().put("", 17L);
            Value w = m.graph().addInitializer(new Tensor("w", DataType.FLOAT, new long[] {4},
                    counting(new AtomicInteger(), 4)));
            m.graph().addOutput(w);
            Path file = dir.resolve("m" + System.nanoTime() + ".onnx");
            OnnxWriter.write(m, file, options);
            Model back = OnnxReader.read(file);
            assertThat(back.graph().initializer("w").constant().toFloats()).containsExactly(0f, 0.5f, 1f, 1.5f);
        }
    }
}
