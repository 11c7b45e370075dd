package io.ortune.graph.onnx;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.DeviceConfigurationProto;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeDeviceConfigurationProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.SparseTensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorAnnotation;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorShapeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TrainingInfoProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TypeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Everything the IR does not model survives load/save: unknown fields at every level, training info, sparse
 * initializers, quantization annotations, device configurations, denotations, opaque types, tensor metadata.
 * The check is on the protobuf itself: the written message equals the crafted one.
 */
class UnmodeledPreservationTest {

    @TempDir
    Path tmp;

    static UnknownFieldSet unknown(int field, long value) {
        return UnknownFieldSet.newBuilder()
                .addField(field, UnknownFieldSet.Field.newBuilder().addVarint(value).build())
                .addField(field + 1, UnknownFieldSet.Field.newBuilder()
                        .addLengthDelimited(ByteString.copyFromUtf8("from the future")).build())
                .build();
    }

    static StringStringEntryProto kv(String k, String v) {
        return StringStringEntryProto.newBuilder().setKey(k).setValue(v).build();
    }

    /** The rich sample model with extras the IR does not model added at every level. */
    static ModelProto crafted() throws IOException {
        ModelProto base = ModelProto.parseFrom(OnnxWriter.toBytes(SampleModels.rich()));
        ModelProto.Builder mb = base.toBuilder();
        mb.setUnknownFields(unknown(1000, 42));
        mb.addTrainingInfo(TrainingInfoProto.newBuilder()
                .setAlgorithm(GraphProto.newBuilder().setName("step"))
                .addUpdateBinding(kv("w", "w_new")));
        mb.addConfiguration(DeviceConfigurationProto.newBuilder().setName("two-gpus").setNumDevices(2));

        GraphProto.Builder gb = mb.getGraphBuilder();
        gb.setUnknownFields(unknown(900, 7));
        gb.addSparseInitializer(SparseTensorProto.newBuilder()
                .setValues(TensorProto.newBuilder().setName("sp").setDataType(1).addDims(2).addFloatData(1f)
                        .addFloatData(2f))
                .setIndices(TensorProto.newBuilder().setName("sp_idx").setDataType(7).addDims(2).addInt64Data(0)
                        .addInt64Data(5))
                .addDims(10));
        gb.addQuantizationAnnotation(TensorAnnotation.newBuilder().setTensorName("x")
                .addQuantParameterTensorNames(kv("SCALE_TENSOR", "x_scale")));
        gb.addNode(NodeProto.newBuilder().setOpType("Identity").addInput("sp").addOutput("sp_copy"));

        // A node with device placement, an unknown field, and an attribute with a doc string and unknown field.
        NodeProto.Builder drop = gb.getNodeBuilder(2);
        drop.setUnknownFields(unknown(800, 1));
        drop.addDeviceConfigurations(NodeDeviceConfigurationProto.newBuilder().setConfigurationId("two-gpus")
                .setPipelineStage(1));
        AttributeProto.Builder fs = drop.getAttributeBuilder(0);
        fs.setDocString("attribute doc").setUnknownFields(unknown(700, 3));

        // Input x: metadata, a type denotation and a dimension denotation.
        ValueInfoProto.Builder x = gb.getInputBuilder(0);
        x.addMetadataProps(kv("vi.key", "vi value")).setUnknownFields(unknown(600, 4));
        x.getTypeBuilder().setDenotation("IMAGE").getTensorTypeBuilder().getShapeBuilder().getDimBuilder(0)
                .setDenotation("DATA_BATCH");

        // A value info with an opaque type and one with a negative dim_value, which the IR cannot hold.
        gb.addValueInfo(ValueInfoProto.newBuilder().setName("opaque_thing")
                .setType(TypeProto.newBuilder().setOpaqueType(TypeProto.Opaque.newBuilder().setDomain("d")
                        .setName("Thing"))));
        gb.addValueInfo(ValueInfoProto.newBuilder().setName("sp_copy")
                .setType(TypeProto.newBuilder().setTensorType(TypeProto.Tensor.newBuilder().setElemType(1)
                        .setShape(TensorShapeProto.newBuilder().addDim(TensorShapeProto.Dimension.newBuilder()
                                .setDimValue(-1))))));

        // Initializer w: tensor metadata, a segment, unknown field.
        TensorProto.Builder w = gb.getInitializerBuilder(0);
        w.addMetadataProps(kv("t.key", "t value")).setSegment(TensorProto.Segment.newBuilder().setBegin(0).setEnd(4))
                .setUnknownFields(unknown(500, 5));
        return mb.build();
    }

    @Test
    void unknownAndUnmodeledFieldsSurviveInline() throws IOException {
        ModelProto original = crafted();
        Path file = tmp.resolve("m.onnx");
        Files.write(file, original.toByteArray());

        Model m = OnnxReader.read(file);
        assertThat(m.unmodeled().isEmpty()).isFalse();
        assertThat(m.graph().unmodeled().isEmpty()).isFalse();
        Value x = m.graph().inputs().get(0);
        assertThat(x.unmodeled().isEmpty()).isFalse();
        assertThat(m.graph().nodes().get(4).input(0).name()).isEqualTo("sp");

        Path out = tmp.resolve("out.onnx");
        OnnxWriter.write(m, out);
        assertThat(ModelProto.parseFrom(Files.readAllBytes(out))).isEqualTo(original);
        assertThat(ModelProto.parseFrom(OnnxWriter.toBytes(m))).isEqualTo(original);
    }

    @Test
    void unknownAndUnmodeledFieldsSurviveExternalData() throws IOException {
        ModelProto original = crafted();
        Model m = OnnxReader.read(original.toByteArray());
        Path out = tmp.resolve("ext.onnx");
        OnnxWriter.write(m, out, WriteOptions.externalData().withThreshold(0));
        Model ext = OnnxReader.read(out);
        RoundTrip.assertSameIr(ext, m);
        assertThat(ModelProto.parseFrom(OnnxWriter.toBytes(ext))).isEqualTo(original);
    }

    @Test
    void unknownTopLevelFieldInRawBytesSurvives() throws IOException {
        byte[] model = OnnxWriter.toBytes(SampleModels.rich());
        // Field 1000, wire type 0 (varint): tag = 1000 << 3 = 8000 = 0xC0 0x3E as a varint; value 42.
        byte[] extra = {(byte) 0xC0, 0x3E, 42};
        byte[] bytes = new byte[model.length + extra.length];
        System.arraycopy(model, 0, bytes, 0, model.length);
        System.arraycopy(extra, 0, bytes, model.length, extra.length);

        byte[] written = OnnxWriter.toBytes(OnnxReader.read(bytes));
        assertThat(ModelProto.parseFrom(written).getUnknownFields().getField(1000).getVarintList())
                .containsExactly(42L);
        assertThat(written).hasSize(bytes.length);
    }

    @Test
    void changedTypeReplacesAKeptExoticType() throws IOException {
        Model m = OnnxReader.read(crafted().toByteArray());
        Value x = m.graph().inputs().get(0);
        x.setType(io.ortune.graph.ir.ValueType.tensor(io.ortune.graph.ir.DataType.FLOAT, 8, 4));
        ModelProto written = ModelProto.parseFrom(OnnxWriter.toBytes(m));
        TypeProto t = written.getGraph().getInput(0).getType();
        assertThat(t.getDenotation()).isEmpty();
        assertThat(t.getTensorType().getShape().getDim(0).getDimValue()).isEqualTo(8);
        assertThat(written.getGraph().getInput(0).getMetadataProps(0).getKey()).isEqualTo("vi.key");
    }
}
