package io.ortune.models.weights;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SafetensorsRoundTripTest {

    @TempDir
    Path dir;

    private static Tensor raw(String name, DataType type, long[] dims, long seed) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        byte[] bytes = new byte[(int) type.byteSize(n)];
        new Random(seed).nextBytes(bytes);
        return Tensor.ofBytes(name, type, dims, bytes);
    }

    private static Map<String, Tensor> sample() {
        Map<String, Tensor> m = new LinkedHashMap<>();
        m.put("z.f32", Tensor.ofFloats("z.f32", new long[] {2, 3}, 1f, -2f, 3.5f, 0f, Float.MIN_VALUE, 1e30f));
        // 1.0 in float16 is 0x3C00 and in bfloat16 0x3F80 (little-endian bytes below)
        m.put("a.f16", Tensor.ofBytes("a.f16", DataType.FLOAT16, new long[] {2}, new byte[] {0, 0x3C, 0, (byte) 0xBC}));
        m.put("m.bf16", Tensor.ofBytes("m.bf16", DataType.BFLOAT16, new long[] {1, 2},
                new byte[] {(byte) 0x80, 0x3F, (byte) 0x80, (byte) 0xBF}));
        m.put("big.bf16", raw("big.bf16", DataType.BFLOAT16, new long[] {17, 33}, 1));
        m.put("odd.f16", raw("odd.f16", DataType.FLOAT16, new long[] {3}, 2));
        m.put("f64", Tensor.ofDoubles("f64", new long[] {2}, Math.PI, -0.0));
        m.put("i64", Tensor.ofLongs("i64", new long[] {3}, Long.MIN_VALUE, 0, Long.MAX_VALUE));
        m.put("i32", Tensor.ofInts("i32", new long[] {1}, -7));
        m.put("i8", Tensor.ofBytes("i8", DataType.INT8, new long[] {2}, new byte[] {-1, 1}));
        m.put("u8", Tensor.ofBytes("u8", DataType.UINT8, new long[] {2}, new byte[] {(byte) 255, 1}));
        m.put("bool", Tensor.ofBooleans("bool", new long[] {3}, true, false, true));
        m.put("scalar", Tensor.scalarFloat("scalar", 42f));
        m.put("empty", Tensor.ofFloats("empty", new long[] {0, 4}));
        return m;
    }

    @Test
    void writeThenReadGivesTheSameTensorsTypesAndMetadata() throws IOException {
        Path file = dir.resolve("model.safetensors");
        Map<String, Tensor> in = sample();
        SafetensorsWriter.write(file, in, Map.of("format", "pt", "note", "ünïcode ✓"));

        SafetensorsFile f = SafetensorsFile.open(file);
        assertThat(f.names()).containsExactlyElementsOf(in.keySet().stream().sorted().collect(Collectors.toList()));
        assertThat(f.metadata()).containsExactlyInAnyOrderEntriesOf(Map.of("format", "pt", "note", "ünïcode ✓"));
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            Tensor out = f.tensor(e.getKey());
            assertThat(out.name()).isEqualTo(e.getKey());
            assertThat(out.dims()).isEqualTo(e.getValue().dims());
            assertThat(out.dtype()).isEqualTo(e.getValue().dtype());
            assertThat(out.contentEquals(e.getValue())).as(e.getKey()).isTrue();
            assertThat(out.data()).as("lazy file region, not heap bytes").isInstanceOf(FileRegionData.class);
        }
        assertThat(f.tensor("z.f32").toFloats()).containsExactly(1f, -2f, 3.5f, 0f, Float.MIN_VALUE, 1e30f);
        assertThat(f.entry("a.f16").dtype()).isEqualTo(SafetensorsDType.F16);
        assertThat(f.entry("m.bf16").dtype()).isEqualTo(SafetensorsDType.BF16);
        assertThat(f.parameterCount()).isEqualTo(in.values().stream().mapToLong(Tensor::elementCount).sum());
    }

    @Test
    void headerIsSortedAlignedToEightBytesAndPaddedWithSpaces() throws IOException {
        Path file = dir.resolve("x.safetensors");
        SafetensorsWriter.write(file, sample(), Map.of("k", "v"));
        ByteBuffer b = ByteBuffer.wrap(Files.readAllBytes(file)).order(ByteOrder.LITTLE_ENDIAN);
        long n = b.getLong(0);
        assertThat((8 + n) % 8).isZero();
        String header = new String(b.array(), 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{\"__metadata__\":{\"k\":\"v\"}");
        assertThat(header.stripTrailing()).endsWith("}");
        assertThat(header.substring(header.stripTrailing().length())).matches(" *");
        assertThat(header.indexOf("\"a.f16\"")).isLessThan(header.indexOf("\"big.bf16\""));
        assertThat(header.indexOf("\"big.bf16\"")).isLessThan(header.indexOf("\"z.f32\""));
        // data offsets follow name order without gaps
        SafetensorsFile f = SafetensorsFile.open(file);
        long expectedBegin = 0;
        for (String name : f.names()) {
            assertThat(f.entry(name).begin()).as(name).isEqualTo(expectedBegin);
            expectedBegin = f.entry(name).end();
        }
        assertThat(Files.size(file)).isEqualTo(f.dataOffset() + expectedBegin);
    }

    @Test
    void writingIsAtomicAndMayReadFromTheFileItReplaces() throws IOException {
        Path file = dir.resolve("w.safetensors");
        SafetensorsWriter.write(file, sample());
        SafetensorsFile first = SafetensorsFile.open(file);
        Map<String, Tensor> again = new LinkedHashMap<>(first.tensors());
        again.put("extra", Tensor.ofFloats("extra", new long[] {1}, 9f));
        SafetensorsWriter.write(file, again);

        SafetensorsFile second = SafetensorsFile.open(file);
        assertThat(second.names()).contains("extra").hasSize(sample().size() + 1);
        for (Map.Entry<String, Tensor> e : sample().entrySet()) {
            assertThat(second.tensor(e.getKey()).contentEquals(e.getValue())).as(e.getKey()).isTrue();
        }
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("w.safetensors");
        }
    }

    @Test
    void aFailedWriteLeavesNoTemporaryFileAndNoTarget() throws IOException {
        Path file = dir.resolve("bad.safetensors");
        Map<String, Tensor> bad = Map.of("s", new Tensor("s", DataType.UINT4, new long[] {2},
                io.ortune.graph.ir.BufferData.wrap(new byte[1])));
        assertThatThrownBy(() -> SafetensorsWriter.write(file, bad))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("tensor 's'")
                .hasMessageContaining("cannot store uint4");
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void shardedCheckpointRoundTripsThroughTheIndex() throws IOException {
        Map<String, Tensor> in = sample();
        List<String> shards = SafetensorsWriter.writeSharded(dir, in, Map.of("format", "pt"), 500);
        assertThat(shards).hasSizeGreaterThan(1);
        assertThat(shards.get(0)).isEqualTo(String.format("model-00001-of-%05d.safetensors", shards.size()));

        ShardedSafetensors s = ShardedSafetensors.open(dir);
        assertThat(s.shards()).hasSize(shards.size());
        assertThat(s.names()).containsExactlyInAnyOrderElementsOf(in.keySet());
        assertThat(s.indexMetadata()).containsEntry("total_size",
                Long.toString(in.values().stream().mapToLong(Tensor::byteSize).sum()));
        assertThat(s.metadata()).containsEntry("format", "pt");
        for (Map.Entry<String, Tensor> e : in.entrySet()) {
            assertThat(s.tensor(e.getKey()).contentEquals(e.getValue())).as(e.getKey()).isTrue();
            assertThat(s.shape(e.getKey())).isEqualTo(e.getValue().dims());
        }
        assertThat(ShardedSafetensors.open(dir.resolve(ShardedSafetensors.INDEX_FILE)).names()).isEqualTo(s.names());
    }

    @Test
    void singleFileCheckpointFolderOpensWithoutAnIndex() throws IOException {
        SafetensorsWriter.write(dir.resolve("model.safetensors"), sample());
        ShardedSafetensors s = ShardedSafetensors.open(dir);
        assertThat(s.shards()).hasSize(1);
        assertThat(s.names()).hasSize(sample().size());
        assertThat(s.tensor("i64").toLongs()).containsExactly(Long.MIN_VALUE, 0, Long.MAX_VALUE);
    }

    @Test
    void folderWithoutCheckpointSaysWhatItLookedFor() throws IOException {
        SafetensorsWriter.write(dir.resolve("adapter_model.safetensors"), sample());
        assertThatThrownBy(() -> ShardedSafetensors.open(dir))
                .hasMessageContaining("model.safetensors.index.json").hasMessageContaining("model.safetensors")
                .hasMessageContaining("found only: adapter_model.safetensors");
    }

    @Test
    void unknownTensorNameListsTheClosestNames() throws IOException {
        Path file = dir.resolve("n.safetensors");
        SafetensorsWriter.write(file, Map.of(
                "model.layers.0.mlp.up_proj.weight", Tensor.ofFloats("a", new long[] {1}, 1f),
                "model.layers.0.mlp.down_proj.weight", Tensor.ofFloats("b", new long[] {1}, 1f)));
        assertThatThrownBy(() -> SafetensorsFile.open(file).tensor("model.layers.0.mlp.gate_proj.weight"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no tensor 'model.layers.0.mlp.gate_proj.weight'")
                .hasMessageContaining("model.layers.0.mlp.down_proj.weight");
    }
}
