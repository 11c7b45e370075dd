package io.ortune.graph.onnx;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Broken files and refused locations give OnnxFormatException naming the file and the problem. */
class BadInputTest {

    @TempDir
    Path tmp;

    private Path modelFile() throws IOException {
        Path file = tmp.resolve("model.onnx");
        OnnxWriter.write(SampleModels.rich(), file);
        return file;
    }

    @ParameterizedTest(name = "cut at {0}/8 of the file")
    @ValueSource(ints = {1, 2, 4, 6, 7})
    void truncatedFile(int eighths) throws IOException {
        Path file = modelFile();
        byte[] all = Files.readAllBytes(file);
        Files.write(file, Arrays.copyOf(all, all.length * eighths / 8));
        assertThatThrownBy(() -> OnnxReader.read(file))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(file.toString())
                .hasMessageContaining("not a valid ONNX protobuf (truncated or corrupt file?)");
    }

    @Test
    void garbageEmptyAndTextFiles() throws IOException {
        byte[] garbage = new byte[4096];
        new Random(7).nextBytes(garbage);
        Path g = Files.write(tmp.resolve("garbage.onnx"), garbage);
        assertThatThrownBy(() -> OnnxReader.read(g)).isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(g.toString());

        Path empty = Files.write(tmp.resolve("empty.onnx"), new byte[0]);
        assertThatThrownBy(() -> OnnxReader.read(empty)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("empty");

        Path text = Files.writeString(tmp.resolve("text.onnx"), "hello");
        assertThatThrownBy(() -> OnnxReader.read(text)).isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith(text.toString());

        assertThatThrownBy(() -> OnnxReader.read(tmp.resolve("absent.onnx")))
                .isInstanceOf(java.nio.file.NoSuchFileException.class);
    }

    @Test
    void tensorPbFileIsNotAModel() throws IOException {
        Path pb = tmp.resolve("input_0.pb");
        TensorProtoFiles.write(Tensor.ofFloats("x", new long[] {2}, 1f, 2f), pb);
        assertThatThrownBy(() -> OnnxReader.read(pb)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("TensorProtoFiles.read");
    }

    /** A one-initializer model whose tensor "w" (4 floats) lives at {@code location}. */
    private Path externalModel(String location, long offset) throws IOException {
        TensorProto w = TensorProto.newBuilder().setName("w").setDataType(1).addDims(4)
                .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(entry("location", location))
                .addExternalData(entry("offset", Long.toString(offset)))
                .addExternalData(entry("length", "16"))
                .build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(9)
                .setGraph(GraphProto.newBuilder().setName("g").addInitializer(w)
                        .addOutput(io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto.newBuilder().setName("w")))
                .build();
        Path dir = Files.createDirectories(tmp.resolve("model"));
        return Files.write(dir.resolve("model.onnx"), m.toByteArray());
    }

    private static StringStringEntryProto entry(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    @Test
    void externalDataThatIsThereLoadsLazily() throws IOException {
        Path file = externalModel("weights.bin", 8);
        Files.write(file.resolveSibling("weights.bin"), new byte[24]);
        Model m = OnnxReader.read(file);
        assertThat(m.graph().initializer("w").constant().data()).isInstanceOf(FileRegionData.class);
    }

    @Test
    void missingExternalFile() throws IOException {
        Path file = externalModel("weights.bin", 0);
        assertThatThrownBy(() -> OnnxReader.read(file)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("external data file " + file.resolveSibling("weights.bin"))
                .hasMessageContaining("tensor 'w'").hasMessageContaining("does not exist");
    }

    @Test
    void externalRegionBeyondTheFile() throws IOException {
        Path file = externalModel("weights.bin", 16);
        Files.write(file.resolveSibling("weights.bin"), new byte[24]);
        assertThatThrownBy(() -> OnnxReader.read(file)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w' reads bytes 16..32").hasMessageContaining("only 24 bytes");
    }

    @Test
    void absoluteLocationIsRefused() throws IOException {
        Path outside = Files.write(tmp.resolve("secret.bin"), new byte[16]);
        Path file = externalModel(outside.toString(), 0);
        assertThatThrownBy(() -> OnnxReader.read(file)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w'").hasMessageContaining("absolute external data location '"
                        + outside + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../secret.bin", "sub/../../secret.bin", ".."})
    void locationClimbingOutIsRefused(String location) throws IOException {
        Files.write(tmp.resolve("secret.bin"), new byte[16]);
        Path file = externalModel(location, 0);
        assertThatThrownBy(() -> OnnxReader.read(file)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w'").hasMessageContaining("'" + location + "'")
                .hasMessageContaining("leads out of the model's folder");
    }

    @Test
    void symbolicLinkLeadingOutIsRefused() throws IOException {
        Path outside = Files.write(tmp.resolve("secret.bin"), new byte[16]);
        Path file = externalModel("link.bin", 0);
        Files.createSymbolicLink(file.resolveSibling("link.bin"), outside);
        assertThatThrownBy(() -> OnnxReader.read(file)).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 'w'").hasMessageContaining("'link.bin'")
                .hasMessageContaining("outside the model's folder");
    }

    @Test
    void externalDataFromMemoryIsRefused() throws IOException {
        byte[] bytes = Files.readAllBytes(externalModel("weights.bin", 0));
        assertThatThrownBy(() -> OnnxReader.read(bytes)).isInstanceOf(OnnxFormatException.class)
                .hasMessageStartingWith("<in-memory model>").hasMessageContaining("read it from its file");
    }

    @Test
    void nodeInputThatNamesNothing() throws IOException {
        ModelProto m = ModelProto.newBuilder().setIrVersion(9)
                .setGraph(GraphProto.newBuilder().setName("g")
                        .addNode(NodeProto.newBuilder().setName("relu1").setOpType("Relu").addInput("nowhere")
                                .addOutput("y")))
                .build();
        assertThatThrownBy(() -> OnnxReader.read(m.toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("node 'relu1' (Relu) input 0 'nowhere'");

        ModelProto badOutput = ModelProto.newBuilder().setIrVersion(9)
                .setGraph(GraphProto.newBuilder().addOutput(
                        io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto.newBuilder().setName("ghost")))
                .build();
        assertThatThrownBy(() -> OnnxReader.read(badOutput.toByteArray())).isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("graph output 'ghost'");
    }

    // ---- failed writes leave nothing behind -------------------------------------------------------------------

    /** A model whose second weight claims 1 MiB from a file that has 10 bytes: streaming it fails mid-write. */
    private Model modelThatFailsToWrite() throws IOException {
        Path shortFile = Files.write(Files.createDirectories(tmp.resolve("src")).resolve("short.bin"), new byte[10]);
        Model m = ExternalDataTest.sumModel(5000);
        Graph g = m.graph();
        Tensor broken = new Tensor("broken", DataType.FLOAT, new long[] {1 << 18},
                new FileRegionData(shortFile, 0, 1 << 20, "short.bin"));
        g.addOutput(g.addInitializer(broken));
        return m;
    }

    @Test
    void failedExternalWriteLeavesNoPartialFiles() throws IOException {
        Model m = modelThatFailsToWrite();
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("model.onnx");
        Files.writeString(out, "previous model");
        assertThatThrownBy(() -> OnnxWriter.write(m, out, WriteOptions.externalData()))
                .isInstanceOf(IOException.class).hasMessageContaining("short.bin");
        assertThat(Files.list(out.getParent()).toList()).containsExactly(out);
        assertThat(Files.readString(out)).isEqualTo("previous model");
    }

    @Test
    void failedInlineWriteLeavesNoPartialFiles() throws IOException {
        Model m = modelThatFailsToWrite();
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("model.onnx");
        assertThatThrownBy(() -> OnnxWriter.write(m, out)).hasMessageContaining("short.bin");
        assertThat(Files.list(out.getParent()).toList()).isEmpty();
    }

    @Test
    void failedWriteKeepsAnExistingDataFile() throws IOException {
        Path out = Files.createDirectories(tmp.resolve("out")).resolve("model.onnx");
        OnnxWriter.write(ExternalDataTest.sumModel(5000), out, WriteOptions.externalData());
        byte[] model = Files.readAllBytes(out);
        byte[] data = Files.readAllBytes(out.resolveSibling("model.onnx.data"));
        assertThatThrownBy(() -> OnnxWriter.write(modelThatFailsToWrite(), out, WriteOptions.externalData()))
                .isInstanceOf(IOException.class);
        assertThat(Files.list(out.getParent()).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("model.onnx", "model.onnx.data");
        assertThat(Files.readAllBytes(out)).isEqualTo(model);
        assertThat(Files.readAllBytes(out.resolveSibling("model.onnx.data"))).isEqualTo(data);
        ExternalDataTest.assertContent(OnnxReader.read(out), 5000);
    }

    @Test
    void badWriteOptions() {
        assertThatThrownBy(() -> WriteOptions.externalData().withDataFileName("../x.data"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("plain file name");
        assertThatThrownBy(() -> WriteOptions.externalData().withAlignment(48))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("power of two");
        assertThatThrownBy(() -> OnnxWriter.write(ExternalDataTest.sumModel(1), tmp.resolve("m.onnx"),
                WriteOptions.externalData().withDataFileName("m.onnx")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(List.of(StandardCharsets.UTF_8)).isNotEmpty();
    }
}
