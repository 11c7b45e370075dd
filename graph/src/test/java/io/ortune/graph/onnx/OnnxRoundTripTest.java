package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** What the IR models survives writing and reading: docs, metadata, value infos, functions, subgraphs, types. */
class OnnxRoundTripTest {

    @TempDir
    Path tmp;

    @Test
    void richModelRoundTripsInlineInMemoryAndWithExternalData() throws IOException {
        Model built = SampleModels.rich();
        Path inline = tmp.resolve("inline.onnx");
        OnnxWriter.write(built, inline);
        Model read = OnnxReader.read(inline);
        RoundTrip.assertSameIr(read, built);
        RoundTrip.assertSameIr(OnnxReader.read(OnnxWriter.toBytes(built)), built);
        assertThat(OnnxWriter.toBytes(read)).isEqualTo(OnnxWriter.toBytes(built));

        Path external = tmp.resolve("external.onnx");
        OnnxWriter.write(read, external, WriteOptions.externalData());
        assertThat(tmp.resolve("external.onnx.data")).exists();
        RoundTrip.assertSameIr(OnnxReader.read(external), built);
    }

    @Test
    void subgraphsReadOuterValuesAsTheSameObjects() throws IOException {
        Model m = OnnxReader.read(OnnxWriter.toBytes(SampleModels.rich()));
        Graph g = m.graph();
        Node ifNode = g.nodes().get(0);
        assertThat(ifNode.opType()).isEqualTo("If");
        Graph thenG = ((Attribute.GraphAttr) ifNode.attribute("then_branch")).value();
        Graph elseG = ((Attribute.GraphAttr) ifNode.attribute("else_branch")).value();
        assertThat(thenG.parent()).isSameAs(g);
        assertThat(elseG.parent()).isSameAs(g);

        Value x = g.inputs().get(0);
        Value w = g.initializer("w");
        Node add = thenG.nodes().get(0);
        assertThat(add.input(0)).isSameAs(x);
        assertThat(add.input(1)).isSameAs(w);
        Node mul = elseG.nodes().get(0);
        assertThat(mul.input(0)).isSameAs(x);
        assertThat(mul.input(1)).isSameAs(elseG.initializer("else_scale"));
        assertThat(x.uses()).extracting(Value.Use::node).contains(add, mul);
    }

    @Test
    void keepsDocsMetadataValueInfosFunctionsAndOptionalSlots() throws IOException {
        Model m = OnnxReader.read(OnnxWriter.toBytes(SampleModels.rich()));
        assertThat(m.irVersion()).isEqualTo(9);
        assertThat(m.opsetImports()).containsEntry("", 21L).containsEntry("my.domain", 1L);
        assertThat(m.producerName()).isEqualTo("ortune-test");
        assertThat(m.producerVersion()).isEqualTo("0.1");
        assertThat(m.domain()).isEqualTo("io.ortune.test");
        assertThat(m.modelVersion()).isEqualTo(3);
        assertThat(m.docString()).isEqualTo("a model for serializer tests");
        assertThat(m.metadataProps()).containsEntry("model.key", "model value");
        assertThat(m.functions()).singleElement().satisfies(f -> {
            assertThat(f.domain()).isEqualTo("my.domain");
            assertThat(f.name()).isEqualTo("Twice");
            assertThat(f.overload()).isEqualTo("v2");
            assertThat(f.proto()).isEqualTo(SampleModels.twice().proto());
        });

        Graph g = m.graph();
        assertThat(g.docString()).isEqualTo("the main graph\nsecond line");
        assertThat(g.metadataProps()).containsEntry("graph.key", "graph value");
        assertThat(g.inputs()).extracting(Value::name).containsExactly("x", "cond", "w");
        assertThat(g.inputs().get(2)).isSameAs(g.initializer("w"));
        assertThat(g.inputs().get(0).docString()).isEqualTo("input x");
        assertThat(g.inputs().get(0).type()).isEqualTo(ValueType.tensor(DataType.FLOAT, "batch", 4));

        Node ifNode = g.nodes().get(0);
        assertThat(ifNode.docString()).isEqualTo("branches on cond");
        assertThat(ifNode.metadataProps()).containsEntry("node.key", "node value");
        Node clip = g.nodes().get(1);
        assertThat(clip.inputs()).hasSize(3);
        assertThat(clip.input(1)).isNull();
        assertThat(clip.input(2)).isSameAs(g.initializer("big"));
        Node drop = g.nodes().get(2);
        assertThat(drop.outputs()).extracting(Value::name).containsExactly("dropped", "");
        assertThat(drop.floatAttr("f", 0)).isEqualTo(0.25f);
        assertThat(drop.intsAttr("is")).containsExactly(1, -2);
        assertThat(drop.stringAttr("s", null)).isEqualTo("naïve");
        assertThat(drop.tensorAttr("t").toLongs()).containsExactly(1, 2, 3);
        assertThat(((Attribute.TypeAttr) drop.attribute("tp")).value())
                .isEqualTo(new ValueType.SequenceType(ValueType.tensor(DataType.INT64, Shape.UNKNOWN_RANK)));
        Node call = g.nodes().get(3);
        assertThat(call.domain()).isEqualTo("my.domain");
        assertThat(call.overload()).isEqualTo("v2");

        assertThat(g.valueInfos()).singleElement().isSameAs(drop.output(0));
        assertThat(g.outputs()).singleElement().isSameAs(call.output());
        assertThat(call.output().docString()).isEqualTo("the result");
    }

    @Test
    void containerTypesAndSymbolicShapesRoundTrip() throws IOException {
        Graph g = new Graph("types");
        List<ValueType> types = List.of(
                ValueType.tensor(DataType.FLOAT16, "batch", 3, io.ortune.graph.ir.Dim.UNKNOWN),
                ValueType.tensor(DataType.INT8, Shape.UNKNOWN_RANK),
                ValueType.tensor(DataType.DOUBLE, Shape.SCALAR),
                new ValueType.SequenceType(ValueType.tensor(DataType.FLOAT, "n")),
                new ValueType.MapType(DataType.INT64, ValueType.tensor(DataType.FLOAT, Shape.UNKNOWN_RANK)),
                new ValueType.OptionalType(new ValueType.SequenceType(ValueType.tensor(DataType.STRING, 2))),
                new ValueType.SparseTensorType(DataType.FLOAT, Shape.of(10, 10)));
        for (int i = 0; i < types.size(); i++) {
            Value in = g.addInput("in" + i, types.get(i));
            Node n = g.addNode("id" + i, "", "Identity", List.of(in), List.of("out" + i), null);
            n.output().setType(types.get(i));
            g.addOutput(n.output());
        }
        Model m = new Model(g);
        m.opsetImports().put("", 21L);
        Model read = OnnxReader.read(OnnxWriter.toBytes(m));
        RoundTrip.assertSameIr(read, m);
        assertThat(read.graph().inputs()).extracting(Value::type).containsExactlyElementsOf(types);
    }

    @Test
    void writingReplacesAnExistingFileAndLeavesNoTemporaryFiles() throws IOException {
        Path out = tmp.resolve("m.onnx");
        Files.writeString(out, "old contents");
        OnnxWriter.write(SampleModels.rich(), out, WriteOptions.externalData().withDataFileName("weights.bin"));
        assertThat(Files.list(tmp).map(p -> p.getFileName().toString()).sorted().toList())
                .containsExactly("m.onnx", "weights.bin");
        RoundTrip.assertSameIr(OnnxReader.read(out), SampleModels.rich());
    }
}
