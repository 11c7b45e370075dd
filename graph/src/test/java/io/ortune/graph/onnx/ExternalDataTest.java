package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** External data: placement by threshold, alignment, lazy reading, copying, and saving over the source. */
class ExternalDataTest {

    @TempDir
    Path tmp;

    /** x + w_0 + w_1 + ... with float initializers of the given element counts, element j of w_i = i * 1000 + j. */
    static Model sumModel(int... sizes) {
        Graph g = new Graph("sum");
        Value acc = g.addInput("x", ValueType.tensor(DataType.FLOAT, "n"));
        for (int i = 0; i < sizes.length; i++) {
            float[] data = new float[sizes[i]];
            for (int j = 0; j < data.length; j++) {
                data[j] = i * 1000 + j;
            }
            Value w = g.addInitializer(Tensor.ofFloats("w" + i, new long[] {data.length}, data));
            acc = g.addNode("add" + i, "", "Add", List.of(acc, w), List.of("s" + i), null).output();
        }
        g.addOutput(acc);
        Model m = new Model(g);
        m.opsetImports().put("", 21L);
        return m;
    }

    static void assertContent(Model m, int... sizes) {
        for (int i = 0; i < sizes.length; i++) {
            float[] f = m.graph().initializer("w" + i).constant().toFloats();
            assertThat(f).hasSize(sizes[i]);
            for (int j = 0; j < f.length; j += Math.max(1, f.length / 7)) {
                assertThat(f[j]).isEqualTo(i * 1000 + j);
            }
        }
    }

    @Test
    void largeInitializersGoToAlignedOffsetsInTheSideFileSmallOnesStayInline() throws IOException {
        int[] sizes = {10, 300, 256, 300_000, 3};
        Model m = sumModel(sizes);
        // A big attribute tensor stays inline, as onnx does by default.
        Node c = m.graph().addNode("const", "", "Constant", List.of(), List.of("c"),
                List.of(new Attribute.TensorAttr("value", Tensor.ofFloats("c", new long[] {1000}, new float[1000]))));
        m.graph().addOutput(c.output());
        Path out = tmp.resolve("model.onnx");
        OnnxWriter.write(m, out, WriteOptions.externalData());

        ModelProto p = ModelProto.parseFrom(Files.readAllBytes(out));
        List<TensorProto> inits = p.getGraph().getInitializerList();
        assertThat(inits).extracting(TensorProto::getDataLocation).containsExactly(
                TensorProto.DataLocation.DEFAULT, TensorProto.DataLocation.EXTERNAL, TensorProto.DataLocation.EXTERNAL,
                TensorProto.DataLocation.EXTERNAL, TensorProto.DataLocation.DEFAULT);
        long[] offsets = inits.stream().filter(t -> t.getDataLocation() == TensorProto.DataLocation.EXTERNAL)
                .mapToLong(t -> Long.parseLong(t.getExternalData(1).getValue())).toArray();
        assertThat(inits.get(1).getExternalData(0).getValue()).isEqualTo("model.onnx.data");
        assertThat(offsets[0]).isZero();
        assertThat(offsets[1] % 64).isZero();
        assertThat(offsets[1]).isGreaterThanOrEqualTo(1200);
        assertThat(offsets[2] % 65536).as("1 MiB tensors are 64 KiB aligned").isZero();
        assertThat(p.getGraph().getNode(sizes.length).getAttribute(0).getT().hasRawData()).isTrue();

        Model read = OnnxReader.read(out);
        assertThat(read.graph().initializer("w0").constant().data()).isInstanceOf(BufferData.class);
        FileRegionData region = (FileRegionData) read.graph().initializer("w3").constant().data();
        assertThat(region.file()).isEqualTo(tmp.resolve("model.onnx.data").toRealPath());
        assertThat(region.location()).isEqualTo("model.onnx.data");
        assertContent(read, sizes);
        RoundTrip.assertSameIr(read, m);
    }

    @Test
    void nothingLargeEnoughMeansNoSideFile() throws IOException {
        OnnxWriter.write(sumModel(4, 5), tmp.resolve("m.onnx"), WriteOptions.externalData());
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).toList()).containsExactly("m.onnx");
    }

    @Test
    void dataIsCopiedSoTheNewModelNeverRefersToTheOldFile() throws IOException {
        int[] sizes = {2000, 3000};
        Path a = Files.createDirectories(tmp.resolve("a")).resolve("model.onnx");
        OnnxWriter.write(sumModel(sizes), a, WriteOptions.externalData());
        Model fromA = OnnxReader.read(a);
        Path b = Files.createDirectories(tmp.resolve("b")).resolve("copy.onnx");
        OnnxWriter.write(fromA, b, WriteOptions.externalData().withDataFileName("w.bin"));
        Files.delete(a);
        Files.delete(a.resolveSibling("model.onnx.data"));

        Model fromB = OnnxReader.read(b);
        assertContent(fromB, sizes);
        assertThat(((FileRegionData) fromB.graph().initializer("w1").constant().data()).location()).isEqualTo("w.bin");
        // And inline: the lazily read data ends up inside the model file.
        Path c = tmp.resolve("inline.onnx");
        OnnxWriter.write(fromB, c);
        Files.delete(b.resolveSibling("w.bin"));
        assertContent(OnnxReader.read(c), sizes);
    }

    @Test
    void savingOverTheSourceKeepsTheInMemoryModelValid() throws IOException {
        int[] sizes = {2000, 3000, 4000};
        Path file = tmp.resolve("model.onnx");
        OnnxWriter.write(sumModel(sizes), file, WriteOptions.externalData());
        Model m = OnnxReader.read(file);
        // Grow the first weight so every later offset moves, and shrink one below the threshold (goes inline).
        Graph g = m.graph();
        float[] grown = new float[5000];
        for (int j = 0; j < grown.length; j++) {
            grown[j] = j;
        }
        g.setInitializerTensor(g.initializer("w0"), Tensor.ofFloats("w0", new long[] {5000}, grown));
        OnnxWriter.write(m, file, WriteOptions.externalData().withThreshold(12_001));

        int[] now = {5000, 3000, 4000};
        assertContent(m, now);
        assertThat(g.initializer("w1").constant().data()).isInstanceOf(BufferData.class);
        FileRegionData w2 = (FileRegionData) g.initializer("w2").constant().data();
        assertThat(w2.offset()).isPositive();
        Model reread = OnnxReader.read(file);
        assertContent(reread, now);
        RoundTrip.assertSameIr(reread, m);
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("model.onnx", "model.onnx.data");
    }
}
