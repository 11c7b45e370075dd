package io.ortune.graph.onnx;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.LongBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A model over protobuf's 2 GiB limit: nine 256 MiB tensors that are views of one buffer (so the test needs
 * 256 MiB of memory, not 2.25 GiB), each starting 8 bytes further, so the long at byte offset {@code o} of tensor
 * {@code k} is {@code o / 8 + k}: every tensor's content is distinct and checkable anywhere.
 */
@Tag("large")
class LargeModelTest {

    private static final int TENSORS = 9;
    private static final long TENSOR_BYTES = 256L << 20;
    private static ByteBuffer shared;

    @TempDir
    Path tmp;

    @BeforeAll
    static void fill() {
        shared = ByteBuffer.allocateDirect((int) TENSOR_BYTES + 8 * TENSORS).order(ByteOrder.LITTLE_ENDIAN);
        LongBuffer longs = shared.asLongBuffer();
        for (int i = 0; i < longs.capacity(); i++) {
            longs.put(i, i);
        }
    }

    static Model hugeModel() {
        Graph g = new Graph("huge");
        for (int k = 0; k < TENSORS; k++) {
            ByteBuffer view = shared.duplicate().position(8 * k).limit(8 * k + (int) TENSOR_BYTES);
            Tensor t = new Tensor("w" + k, DataType.INT64, new long[] {TENSOR_BYTES / 8}, new BufferData(view));
            g.addOutput(g.addInitializer(t));
        }
        Model m = new Model(g);
        m.opsetImports().put("", 21L);
        return m;
    }

    @Test
    void roundTripsThroughExternalData() throws IOException {
        Path file = tmp.resolve("huge.onnx");
        Path data = tmp.resolve("huge.onnx.data");
        try {
            OnnxWriter.write(hugeModel(), file, WriteOptions.externalData());
            assertThat(Files.size(file)).isLessThan(64 * 1024);
            assertThat(Files.size(data)).isGreaterThanOrEqualTo(TENSORS * TENSOR_BYTES);

            Model read = OnnxReader.read(file);
            assertThat(read.graph().initializers()).hasSize(TENSORS);
            long total = 0;
            for (int k = 0; k < TENSORS; k++) {
                Tensor t = read.graph().initializer("w" + k).constant();
                assertThat(t.data()).isInstanceOf(FileRegionData.class);
                assertThat(t.byteSize()).isEqualTo(TENSOR_BYTES);
                assertThat(t.dims()).containsExactly(TENSOR_BYTES / 8);
                total += t.byteSize();
                ByteBuffer b = t.bytes();
                for (long offset : new long[] {0, 8, TENSOR_BYTES / 3 & ~7L, TENSOR_BYTES / 2, TENSOR_BYTES - 8}) {
                    assertThat(b.getLong((int) offset)).as("tensor %d at byte %d", k, offset).isEqualTo(offset / 8 + k);
                }
            }
            assertThat(total).isGreaterThan(Integer.MAX_VALUE);
        } finally {
            Files.deleteIfExists(data);
            Files.deleteIfExists(file);
        }
    }

    @Test
    void inlineIsRefusedWithAdviceAndWritesNothing() {
        Path file = tmp.resolve("inline.onnx");
        assertThatThrownBy(() -> OnnxWriter.write(hugeModel(), file))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("2 GiB").hasMessageContaining("WriteOptions.externalData()");
        assertThat(tmp).isEmptyDirectory();
        assertThatThrownBy(() -> OnnxWriter.toBytes(hugeModel()))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("external data");
    }
}
