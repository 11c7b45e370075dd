package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.flatbuffers.FlatBufferBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Writes checkpoints and reads them back; equality must be exact (bytes, names, shapes, types, properties). */
class CheckpointRoundTripTest {

    @TempDir
    Path dir;

    static Tensor floats(String name, long[] dims, int seed) {
        Random r = new Random(seed);
        int n = 1;
        for (long d : dims) {
            n *= (int) d;
        }
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) r.nextGaussian();
        }
        return Tensor.ofFloats(name, dims, v);
    }

    static Tensor bytes(String name, DataType t, long[] dims, int byteCount, int seed) {
        byte[] b = new byte[byteCount];
        new Random(seed).nextBytes(b);
        return Tensor.ofBytes(name, t, dims, b);
    }

    static Checkpoint sample() {
        Tensor w = floats("h.0.attn.weight", new long[] {4, 8}, 1);
        Tensor bias = floats("h.0.attn.bias", new long[] {8}, 2);
        Tensor half = bytes("lora_A", DataType.FLOAT16, new long[] {2, 3}, 12, 3);
        Tensor nf4 = bytes("h.0.mlp.weight.nf4", DataType.UINT8, new long[] {40}, 40, 4);
        Tensor absmax = floats("h.0.mlp.weight.absmax", new long[] {2}, 5);
        Tensor scalar = Tensor.scalarLong("layer_count", 12);
        OptimizerState opt = OptimizerState.adamw(7, 3e-4f,
                Map.of("h.0.attn.weight", floats("m", new long[] {4, 8}, 6),
                        "h.0.attn.bias", floats("m", new long[] {8}, 7),
                        "lora_A", bytes("m", DataType.FLOAT16, new long[] {2, 3}, 12, 8)),
                Map.of("h.0.attn.weight", floats("v", new long[] {4, 8}, 9),
                        "h.0.attn.bias", floats("v", new long[] {8}, 10),
                        "lora_A", bytes("v", DataType.FLOAT16, new long[] {2, 3}, 12, 11)));
        PropertyBag props = PropertyBag.builder()
                .putInt("ortune.global_step", 1234).putInt("negative", -5)
                .putFloat("ortune.learning_rate", 2.5e-4f).putFloat("nan", Float.NaN)
                .putString("ortune.run", "lora-gpt2 ✓").putString("empty", "")
                .build();
        return new Checkpoint(List.of(w, bias, half), List.of(nf4, absmax, scalar), Optional.of(opt), props);
    }

    static void assertSameCheckpoint(Checkpoint actual, Checkpoint expected) {
        assertSameTensors(actual.trainableParams(), expected.trainableParams());
        assertSameTensors(actual.frozenParams(), expected.frozenParams());
        assertThat(actual.properties()).isEqualTo(expected.properties());
        assertThat(actual.optimizerState().isPresent()).isEqualTo(expected.optimizerState().isPresent());
        if (expected.optimizerState().isPresent()) {
            OptimizerState a = actual.optimizerState().get();
            OptimizerState e = expected.optimizerState().get();
            assertThat(a.groupName()).isEqualTo(e.groupName());
            assertThat(a.step()).isEqualTo(e.step());
            assertThat(a.initialLearningRate()).isEqualTo(e.initialLearningRate());
            assertThat(a.parameterStates().keySet()).containsExactlyInAnyOrderElementsOf(e.parameterStates().keySet());
            for (String p : e.parameterStates().keySet()) {
                assertThat(a.parameterStates().get(p).keySet())
                        .containsExactlyElementsOf(e.parameterStates().get(p).keySet());
                for (String s : e.parameterStates().get(p).keySet()) {
                    Tensor at = a.state(p, s);
                    assertThat(at.name()).isEqualTo(s);
                    assertThat(at.contentEquals(e.state(p, s))).as(p + "/" + s).isTrue();
                }
            }
        }
    }

    static void assertSameTensors(List<Tensor> actual, List<Tensor> expected) {
        assertThat(actual).extracting(Tensor::name).containsExactlyElementsOf(
                expected.stream().map(Tensor::name).toList());
        for (int i = 0; i < expected.size(); i++) {
            Tensor a = actual.get(i);
            Tensor e = expected.get(i);
            assertThat(a.dims()).as(e.name()).containsExactly(e.dims());
            assertThat(a.dtype()).as(e.name()).isEqualTo(e.dtype());
            assertThat(a.contentEquals(e)).as(e.name() + " bytes").isTrue();
        }
    }

    @Test
    void roundTripsParametersOptimizerStateAndProperties() throws IOException {
        Checkpoint c = sample();
        Path file = dir.resolve("checkpoint");
        CheckpointFiles files = CheckpointWriter.write(c, file);
        assertThat(files.externalData()).isEmpty();
        assertThat(Files.exists(dir.resolve("checkpoint.data"))).isFalse();
        assertSameCheckpoint(CheckpointReader.read(file), c);
        assertSameCheckpoint(CheckpointReader.fromBytes(CheckpointWriter.toBytes(c)), c);
    }

    @Test
    void fileStartsWithRootOffsetThenIdentifier() throws IOException {
        Path file = dir.resolve("checkpoint");
        CheckpointWriter.write(sample(), file);
        byte[] b = Files.readAllBytes(file);
        int root = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(0);
        assertThat(root).isBetween(8, b.length - 4);
        assertThat(new String(b, 4, 4, StandardCharsets.US_ASCII)).isEqualTo("ODTC");
    }

    @Test
    void writesVersion2AndAlwaysWritesBothParameterVectors() throws IOException {
        byte[] b = CheckpointWriter.toBytes(Checkpoint.of(List.of(floats("w", new long[] {2}, 1)), List.of()));
        FlatTable root = FlatTable.root(ByteBuffer.wrap(b), "test");
        assertThat(root.getInt(CheckpointSchema.CHECKPOINT_VERSION, 0)).isEqualTo(2);
        FlatTable module = root.getTable(CheckpointSchema.CHECKPOINT_MODULE_STATE);
        assertThat(module.getTables(CheckpointSchema.MODULE_FROZEN_PARAMS)).isNotNull().isEmpty();
        assertThat(module.getTables(CheckpointSchema.MODULE_REQUIRES_GRAD_PARAMS)).hasSize(1);
        assertThat(module.has(CheckpointSchema.MODULE_HAS_EXTERNAL_DATA)).isFalse(); // default false, not written
        FlatTable tensor = module.getTables(CheckpointSchema.MODULE_REQUIRES_GRAD_PARAMS).get(0);
        assertThat(tensor.getInt(CheckpointSchema.TENSOR_DATA_TYPE, 0)).isEqualTo(1); // ONNX FLOAT
        assertThat(tensor.has(CheckpointSchema.TENSOR_EXTERNAL_DATA_OFFSET)).isFalse(); // default -1: inline
    }

    @Test
    void scalarsKeepAnEmptyDimsVector() throws IOException {
        Checkpoint c = Checkpoint.of(List.of(Tensor.scalarFloat("s", 1.5f)), List.of());
        byte[] b = CheckpointWriter.toBytes(c);
        FlatTable module = FlatTable.root(ByteBuffer.wrap(b), "test").getTable(CheckpointSchema.CHECKPOINT_MODULE_STATE);
        assertThat(module.getTables(CheckpointSchema.MODULE_REQUIRES_GRAD_PARAMS).get(0)
                .getLongs(CheckpointSchema.TENSOR_DIMS)).isNotNull().isEmpty();
        assertSameCheckpoint(CheckpointReader.fromBytes(b), c);
    }

    @Test
    void largeTensorsGoToTheDataFileAboveTheThreshold() throws IOException {
        Tensor big = floats("big", new long[] {64, 16}, 1);                       // 4096 bytes
        Tensor odd = bytes("odd", DataType.UINT8, new long[] {130}, 130, 2);      // forces padding after it
        Tensor longs = Tensor.ofLongs("longs", new long[] {20}, new long[20]);    // 160 bytes, 8-aligned
        Tensor small = floats("small", new long[] {3}, 3);                        // 12 bytes, stays inline
        Checkpoint c = new Checkpoint(List.of(big, small), List.of(odd, longs),
                Optional.of(OptimizerState.adamwZeros(List.of(big, small), 3, 1e-3f)), PropertyBag.EMPTY);
        Path file = dir.resolve("ckpt");
        CheckpointFiles files = new CheckpointWriter(0).writeTo(c, file);
        assertThat(files.externalData()).contains(dir.resolve("ckpt.data"));
        assertThat(files.inlineBytes()).isEqualTo(3 * 12); // small and its two moments

        Checkpoint back = CheckpointReader.read(file);
        assertSameCheckpoint(back, c);
        Tensor bigBack = back.param("big").orElseThrow();
        assertThat(bigBack.data()).isInstanceOf(FileRegionData.class);
        assertThat(back.param("small").orElseThrow().data()).isNotInstanceOf(FileRegionData.class);
        FileRegionData longsData = (FileRegionData) back.param("longs").orElseThrow().data();
        assertThat(longsData.offset() % 8).isZero();
        assertThat(((FileRegionData) back.param("odd").orElseThrow().data()).offset() % 4).isZero();

        // rewriting below the threshold removes the now unreferenced side file
        CheckpointWriter.write(c, file);
        assertThat(Files.exists(dir.resolve("ckpt.data"))).isFalse();
        assertSameCheckpoint(CheckpointReader.read(file), c);
    }

    @Test
    void rejectsOptimizerStateThatOnnxRuntimeWouldRefuse() {
        Tensor w = floats("w", new long[] {2}, 1);
        Tensor v = floats("v", new long[] {2}, 2);
        Checkpoint c = Checkpoint.of(List.of(w, v), List.of());
        OptimizerState onlyW = OptimizerState.adamwZeros(List.of(w), 0, 1e-3f);
        assertThatThrownBy(() -> c.withOptimizerState(onlyW))
                .hasMessageContaining("missing for trainable parameters [v]");
        assertThatThrownBy(() -> Checkpoint.of(List.of(w), List.of(w.withName("w"))))
                .hasMessageContaining("'w' appears twice");
    }

    @Test
    void rejectsFilesThatAreNotCheckpoints() throws IOException {
        Path file = dir.resolve("not-a-checkpoint");
        Files.write(file, "hello, flatbuffers".getBytes(StandardCharsets.US_ASCII));
        assertThatThrownBy(() -> CheckpointReader.read(file))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("expected identifier 'ODTC'");
        Files.write(file, new byte[3]);
        assertThatThrownBy(() -> CheckpointReader.read(file)).isInstanceOf(CheckpointFormatException.class);
    }

    @Test
    void rejectsOtherVersions() {
        FlatBufferBuilder b = new FlatBufferBuilder(64);
        b.startTable(CheckpointSchema.CHECKPOINT_FIELDS);
        b.addInt(CheckpointSchema.CHECKPOINT_VERSION, 1, 0);
        b.finish(b.endTable(), "ODTC");
        assertThatThrownBy(() -> CheckpointReader.fromBytes(b.sizedByteArray()))
                .isInstanceOf(CheckpointFormatException.class)
                .hasMessageContaining("checkpoint version 1");
    }

    @Test
    void corruptedBytesGiveFormatErrorsNeverCrashes() throws IOException {
        byte[] good = CheckpointWriter.toBytes(sample());
        Random r = new Random(42);
        int parsed = 0;
        for (int trial = 0; trial < 3000; trial++) {
            byte[] bad = trial % 3 == 0 ? java.util.Arrays.copyOf(good, r.nextInt(good.length)) : good.clone();
            if (trial % 3 != 0) {
                for (int k = 0; k < 1 + r.nextInt(4); k++) {
                    bad[r.nextInt(bad.length)] = (byte) r.nextInt(256);
                }
            }
            try {
                CheckpointReader.fromBytes(bad);
                parsed++;
            } catch (CheckpointFormatException expected) {
                assertThat(expected.getMessage()).startsWith("checkpoint bytes");
            }
        }
        assertThat(parsed).isPositive(); // flips inside tensor data are not detectable, and must parse
    }
}
