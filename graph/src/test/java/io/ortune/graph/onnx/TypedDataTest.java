package io.ortune.graph.onnx;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import com.google.protobuf.ByteString;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Typed TensorProto fields become the little-endian raw bytes the specification prescribes. */
class TypedDataTest {

    static TensorProto.Builder tensor(DataType t, long... dims) {
        TensorProto.Builder b = TensorProto.newBuilder().setName("t").setDataType(t.onnxCode());
        for (long d : dims) {
            b.addDims(d);
        }
        return b;
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                Arguments.of(tensor(DataType.FLOAT, 2).addFloatData(1.5f).addFloatData(-2f), "0000c03f000000c0"),
                Arguments.of(tensor(DataType.COMPLEX64, 1).addFloatData(1f).addFloatData(-1f), "0000803f000080bf"),
                Arguments.of(tensor(DataType.DOUBLE).addDoubleData(1.0), "000000000000f03f"),
                Arguments.of(tensor(DataType.COMPLEX128, 1).addDoubleData(1.0).addDoubleData(0),
                        "000000000000f03f0000000000000000"),
                Arguments.of(tensor(DataType.INT64, 2).addInt64Data(-1).addInt64Data(258),
                        "ffffffffffffffff0201000000000000"),
                Arguments.of(tensor(DataType.INT32, 2).addInt32Data(-2).addInt32Data(65536), "feffffff00000100"),
                Arguments.of(tensor(DataType.INT16, 2).addInt32Data(-2).addInt32Data(300), "feff2c01"),
                Arguments.of(tensor(DataType.UINT16, 1).addInt32Data(65535), "ffff"),
                Arguments.of(tensor(DataType.INT8, 2).addInt32Data(-1).addInt32Data(127), "ff7f"),
                Arguments.of(tensor(DataType.UINT8, 2).addInt32Data(255).addInt32Data(0), "ff00"),
                Arguments.of(tensor(DataType.BOOL, 3).addInt32Data(1).addInt32Data(0).addInt32Data(1), "010001"),
                Arguments.of(tensor(DataType.FLOAT16, 2).addInt32Data(0x3C00).addInt32Data(0xC000), "003c00c0"),
                Arguments.of(tensor(DataType.BFLOAT16, 1).addInt32Data(0x3F80), "803f"),
                Arguments.of(tensor(DataType.FLOAT8E4M3FN, 2).addInt32Data(0x38).addInt32Data(0xB8), "38b8"),
                // 4-bit: two elements per int32_data entry, first in the low nibble; odd counts pad the last byte.
                Arguments.of(tensor(DataType.INT4, 3).addInt32Data(0x21).addInt32Data(0x03), "2103"),
                Arguments.of(tensor(DataType.UINT4, 2).addInt32Data(0xF1), "f1"),
                // 2-bit: four elements per entry.
                Arguments.of(tensor(DataType.UINT2, 5).addInt32Data(0xE4).addInt32Data(0x01), "e401"),
                Arguments.of(tensor(DataType.UINT32, 1).addUint64Data(4294967295L), "ffffffff"),
                Arguments.of(tensor(DataType.UINT64, 1).addUint64Data(-1L), "ffffffffffffffff"),
                Arguments.of(tensor(DataType.FLOAT, 0), ""));
    }

    @ParameterizedTest(name = "[{index}] bytes {1}")
    @MethodSource("cases")
    void typedFieldsBecomeRawBytesAndRoundTrip(TensorProto.Builder proto, String hex) throws IOException {
        Tensor t = TensorProtoFiles.read(proto.build().toByteArray());
        assertThat(t.data()).isInstanceOf(BufferData.class);
        assertThat(HexFormat.of().formatHex(bytes(t.bytes()))).isEqualTo(hex);

        TensorProto written = TensorProto.parseFrom(TensorProtoFiles.toBytes(t));
        assertThat(written.hasRawData()).isTrue();
        assertThat(HexFormat.of().formatHex(written.getRawData().toByteArray())).isEqualTo(hex);
        assertThat(TensorProtoFiles.read(written.toByteArray()).contentEquals(t)).isTrue();
    }

    @Test
    void stringTensorsKeepTheirBytes() throws IOException {
        TensorProto p = tensor(DataType.STRING, 2).addStringData(ByteString.copyFromUtf8("héllo"))
                .addStringData(ByteString.copyFrom(new byte[] {(byte) 0xff, 0})).build();
        Tensor t = TensorProtoFiles.read(p.toByteArray());
        assertThat(((StringData) t.data()).strings()).satisfiesExactly(
                s -> assertThat(new String(s, StandardCharsets.UTF_8)).isEqualTo("héllo"),
                s -> assertThat(s).containsExactly(0xff, 0));
        assertThat(TensorProto.parseFrom(TensorProtoFiles.toBytes(t))).isEqualTo(p);
    }

    @Test
    void wrongCountsAreFormatErrorsNamingTheTensorAndField() {
        TensorProto p = tensor(DataType.FLOAT, 2, 3).addFloatData(1f).build();
        assertThatThrownBy(() -> TensorProtoFiles.read(p.toByteArray()))
                .isInstanceOf(OnnxFormatException.class)
                .hasMessageContaining("tensor 't'").hasMessageContaining("float_data").hasMessageContaining("6");

        TensorProto raw = tensor(DataType.INT32, 4).setRawData(ByteString.copyFrom(new byte[3])).build();
        assertThatThrownBy(() -> TensorProtoFiles.read(raw.toByteArray()))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("'t'").hasMessageContaining("16 bytes");

        TensorProto none = tensor(DataType.INT32, 4).build();
        assertThatThrownBy(() -> TensorProtoFiles.read(none.toByteArray()))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("has no data");

        TensorProto unknownType = TensorProto.newBuilder().setName("u").setDataType(99).build();
        assertThatThrownBy(() -> TensorProtoFiles.read(unknownType.toByteArray()))
                .isInstanceOf(OnnxFormatException.class).hasMessageContaining("unknown data_type 99");
    }

    @Test
    void notATensorIsRefused() {
        assertThatThrownBy(() -> TensorProtoFiles.read("plain text, not protobuf".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(OnnxFormatException.class);
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }
}
