package io.ortune.graph.onnx;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** Every PyTorch-converted model of the ONNX backend test suite loads, and load/save/load keeps its IR. */
class BackendModelsRoundTripTest {

    static Stream<Path> models() throws IOException {
        Path dir = RoundTrip.root().resolve("testdata/onnx-backend/pytorch-converted");
        assertThat(dir).as("backend test data folder").isDirectory();
        try (Stream<Path> s = Files.list(dir)) {
            List<Path> list = s.filter(Files::isDirectory).sorted().toList();
            assertThat(list).hasSize(82);
            return list.stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void loadsAndRoundTripsInline(Path dir, @TempDir Path tmp) throws IOException {
        Model original = OnnxReader.read(dir.resolve("model.onnx"));
        assertThat(original.graph().nodes()).isNotEmpty();
        for (Tensor t : Rebinder.tensors(original.graph())) {
            if (t.byteSize() >= WireHollower.MIN_ALIASED && t.data() instanceof BufferData b) {
                assertThat(b.buffer().isDirect()).as("'%s' aliases the mapped file", t.name()).isTrue();
            }
        }

        Path out = tmp.resolve("model.onnx");
        OnnxWriter.write(original, out);
        RoundTrip.assertSameIr(OnnxReader.read(out), original);
        RoundTrip.assertSameIr(OnnxReader.read(OnnxWriter.toBytes(original)), original);
        // Stronger still: what is written is the same protobuf message as what was read.
        assertThat(ModelProto.parseFrom(Files.readAllBytes(out)))
                .isEqualTo(ModelProto.parseFrom(Files.readAllBytes(dir.resolve("model.onnx"))));
        assertThat(Files.list(tmp).toList()).containsExactly(out);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void roundTripsWithExternalData(Path dir, @TempDir Path tmp) throws IOException {
        Model original = OnnxReader.read(dir.resolve("model.onnx"));

        Path out = tmp.resolve("model.onnx");
        OnnxWriter.write(original, out, WriteOptions.externalData().withThreshold(0));
        Model reread = OnnxReader.read(out);
        RoundTrip.assertSameIr(reread, original);
        for (Tensor t : Rebinder.tensors(reread.graph())) {
            if (reread.graph().initializer(t.name()) != null && t.byteSize() > 0) {
                assertThat(t.data()).as("initializer '%s'", t.name()).isInstanceOf(FileRegionData.class);
            }
        }

        // Write the externally stored model again, elsewhere: data is copied, the new model never refers back.
        Path again = tmp.resolve("sub/copy.onnx");
        Files.createDirectories(again.getParent());
        OnnxWriter.write(reread, again, WriteOptions.externalData());
        Model third = OnnxReader.read(again);
        RoundTrip.assertSameIr(third, original);
        for (Tensor t : Rebinder.tensors(third.graph())) {
            if (t.data() instanceof FileRegionData f) {
                assertThat(f.file().getParent()).isEqualTo(again.getParent().toRealPath());
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("models")
    void testDataLoadsAsTensors(Path dir, @TempDir Path tmp) throws IOException {
        Path data = dir.resolve("test_data_set_0");
        List<Path> pbs;
        try (Stream<Path> s = Files.list(data)) {
            pbs = s.filter(p -> p.toString().endsWith(".pb")).sorted().toList();
        }
        assertThat(pbs).isNotEmpty();
        for (Path pb : pbs) {
            Tensor t = TensorProtoFiles.read(pb);
            assertThat(t.elementCount()).isPositive();
            Path copy = tmp.resolve(pb.getFileName());
            TensorProtoFiles.write(t, copy);
            assertThat(TensorProtoFiles.read(copy).contentEquals(t)).isTrue();
        }
    }
}
