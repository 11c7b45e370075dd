package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.OperatorSetIdProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Raw data is cut out of what protobuf parses (and left in the mapped file) and streamed back in when writing:
 * the result must be exactly what protobuf itself reads and writes, for tensors of every size and place.
 */
class WireSplicingTest {

    @TempDir
    Path tmp;

    private static final int[] SIZES = {0, 1, 63, 64, 65, 100_000};

    static TensorProto tensor(String name, int bytes) {
        byte[] data = new byte[bytes];
        for (int i = 0; i < bytes; i++) {
            data[i] = (byte) (i * 7 + name.hashCode());
        }
        return TensorProto.newBuilder().setName(name).setDataType(2).addDims(bytes)
                .setRawData(ByteString.copyFrom(data)).build();
    }

    /** Tensors of every size as initializers, attribute tensors, tensor lists, in the main graph and a subgraph. */
    static ModelProto expected() {
        GraphProto.Builder sub = GraphProto.newBuilder().setName("body");
        GraphProto.Builder main = GraphProto.newBuilder().setName("main");
        for (int size : SIZES) {
            main.addInitializer(tensor("init" + size, size));
            sub.addInitializer(tensor("sub_init" + size, size));
            main.addNode(NodeProto.newBuilder().setOpType("Constant").addOutput("c" + size)
                    .addAttribute(AttributeProto.newBuilder().setName("value")
                            .setType(AttributeProto.AttributeType.TENSOR).setT(tensor("c" + size, size))));
            sub.addNode(NodeProto.newBuilder().setOpType("Custom").setDomain("x").addOutput("s" + size)
                    .addAttribute(AttributeProto.newBuilder().setName("list")
                            .setType(AttributeProto.AttributeType.TENSORS)
                            .addTensors(tensor("l" + size, size)).addTensors(tensor("m" + size, size + 3))));
            main.addOutput(ValueInfoProto.newBuilder().setName("c" + size));
            sub.addOutput(ValueInfoProto.newBuilder().setName("s" + size));
        }
        main.addNode(NodeProto.newBuilder().setOpType("Wrap").setDomain("x").addOutput("w")
                .addAttribute(AttributeProto.newBuilder().setName("body").setType(AttributeProto.AttributeType.GRAPH)
                        .setG(sub)));
        return ModelProto.newBuilder().setIrVersion(9)
                .addOpsetImport(OperatorSetIdProto.newBuilder().setVersion(21))
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("x").setVersion(1))
                .setGraph(main).build();
    }

    @Test
    void readAndWrittenBytesAreWhatProtobufMakes() throws IOException {
        ModelProto expected = expected();
        Path file = Files.write(tmp.resolve("m.onnx"), expected.toByteArray());
        Model m = OnnxReader.read(file);
        for (Tensor t : Rebinder.tensors(m.graph())) {
            if (t.byteSize() >= WireHollower.MIN_ALIASED) {
                assertThat(((BufferData) t.data()).buffer().isDirect()).as(t.name()).isTrue();
            }
        }
        Graph sub = ((Attribute.GraphAttr) m.graph().nodes().get(SIZES.length).attribute("body")).value();
        assertThat(sub.initializer("sub_init100000").constant().byteSize()).isEqualTo(100_000);

        byte[] written = OnnxWriter.toBytes(m);
        assertThat(ModelProto.parseFrom(written)).isEqualTo(expected);
        assertThat(written).hasSameSizeAs(expected.toByteArray());

        Path out = tmp.resolve("out.onnx");
        OnnxWriter.write(m, out);
        assertThat(out).hasBinaryContent(written);
        RoundTrip.assertSameIr(OnnxReader.read(out), m);
    }

    @Test
    void deprecatedGroupsAmongUnknownFieldsSurvive() throws IOException {
        // Protobuf groups (wire types 3/4) are legal on the wire; both the hollower and the filler step over them.
        UnknownFieldSet group = UnknownFieldSet.newBuilder()
                .addField(4000, UnknownFieldSet.Field.newBuilder()
                        .addGroup(UnknownFieldSet.newBuilder()
                                .addField(1, UnknownFieldSet.Field.newBuilder().addVarint(5).build()).build())
                        .build())
                .build();
        ModelProto withGroup = expected().toBuilder().setUnknownFields(group).build();
        Path file = Files.write(tmp.resolve("g.onnx"), withGroup.toByteArray());
        Model m = OnnxReader.read(file);
        Tensor big = m.graph().initializer("init100000").constant();
        assertThat(((BufferData) big.data()).buffer().isDirect()).isTrue();
        assertThat(ModelProto.parseFrom(OnnxWriter.toBytes(m))).isEqualTo(withGroup);
    }

    @Test
    void reservedFieldNumbersAreRefused() {
        TensorProto bad = tensor("t", 100).toBuilder().setUnknownFields(UnknownFieldSet.newBuilder()
                .addField(Wire.SOURCE_REF, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFrom(new byte[] {0, 10})).build()).build()).build();
        ModelProto m = ModelProto.newBuilder().setIrVersion(9)
                .setGraph(GraphProto.newBuilder().addInitializer(bad)).build();
        assertThatThrownBy(() -> OnnxReader.read(m.toByteArray()))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("reserves");
    }
}
