package io.ortune.graph.onnx;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.TensorData;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.UnknownFieldSet;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code TensorProto} to {@link Tensor}. {@code raw_data} stays where the parser put it (a slice of the
 * memory-mapped file when read from disk); typed fields become little-endian bytes; external data becomes a lazy
 * file region. Everything else (segment, metadata, unknown fields) is kept as {@link Unmodeled}.
 */
final class TensorDecoder {

    private final DecodeContext ctx;

    TensorDecoder(DecodeContext ctx) {
        this.ctx = ctx;
    }

    Tensor decode(TensorProto t) throws OnnxFormatException {
        String name = t.getName();
        DataType dtype;
        try {
            dtype = DataType.fromOnnx(t.getDataType());
        } catch (IllegalArgumentException e) {
            throw ctx.fail("tensor '" + name + "' has unknown data_type " + t.getDataType());
        }
        long[] dims = new long[t.getDimsCount()];
        long elements = 1;
        for (int i = 0; i < dims.length; i++) {
            dims[i] = t.getDims(i);
            if (dims[i] < 0) {
                throw ctx.fail("tensor '" + name + "' has a negative dimension: " + t.getDimsList());
            }
            try {
                elements = Math.multiplyExact(elements, dims[i]);
            } catch (ArithmeticException e) {
                throw ctx.fail("tensor '" + name + "' has dims " + t.getDimsList() + " whose product overflows");
            }
        }
        TensorData data = data(t, dtype, elements);
        try {
            return new Tensor(name, dtype, dims, data, t.getDocString(), unmodeled(t));
        } catch (IllegalArgumentException e) {
            throw ctx.fail(e.getMessage(), e);
        }
    }

    private TensorData data(TensorProto t, DataType dtype, long elements) throws OnnxFormatException {
        String name = t.getName();
        if (t.getDataLocation() == TensorProto.DataLocation.EXTERNAL) {
            if (dtype == DataType.STRING) {
                throw ctx.fail("STRING tensor '" + name + "' cannot keep its data externally");
            }
            return external(t, dtype == DataType.UNDEFINED ? -1 : dtype.byteSize(elements));
        }
        UnknownFieldSet.Field ref = t.getUnknownFields().getField(Wire.SOURCE_REF);
        boolean hollowed = !ref.getLengthDelimitedList().isEmpty();
        if (dtype == DataType.STRING) {
            if (t.hasRawData() || hollowed) {
                throw ctx.fail("STRING tensor '" + name + "' uses raw_data; strings must be in string_data");
            }
            List<byte[]> strings = new ArrayList<>(t.getStringDataCount());
            for (ByteString s : t.getStringDataList()) {
                strings.add(s.toByteArray());
            }
            if (strings.size() != elements) {
                throw ctx.fail("STRING tensor '" + name + "' has " + strings.size() + " strings but its dims "
                        + t.getDimsList() + " need " + elements);
            }
            return new StringData(strings);
        }
        if (hollowed) {
            return new BufferData(sourceSlice(t, ref));
        }
        if (t.hasRawData()) {
            return new BufferData(t.getRawData().asReadOnlyByteBuffer());
        }
        ByteBuffer typed = TypedData.toRaw(t, dtype, elements, ctx);
        if (typed != null) {
            return new BufferData(typed);
        }
        if (elements == 0 || dtype == DataType.UNDEFINED) {
            return BufferData.wrap(new byte[0]);
        }
        throw ctx.fail("tensor '" + name + "' (" + dtype.onnxName() + t.getDimsList() + ") has no data");
    }

    /** The raw_data the hollower left in the source buffer (see {@link WireHollower}). */
    private ByteBuffer sourceSlice(TensorProto t, UnknownFieldSet.Field ref) throws OnnxFormatException {
        List<ByteString> refs = ref.getLengthDelimitedList();
        if (ctx.bytes() == null) {
            throw ctx.fail("tensor '" + t.getName() + "' uses field " + Wire.SOURCE_REF + ", which ortune reserves");
        }
        try {
            CodedInputStream in = refs.get(refs.size() - 1).newCodedInput();
            long offset = in.readUInt64();
            long length = in.readUInt64();
            return ctx.bytes().slice(Math.toIntExact(offset), Math.toIntExact(length));
        } catch (IOException | RuntimeException e) {
            throw ctx.fail("tensor '" + t.getName() + "': internal raw data reference is unreadable: " + e, e);
        }
    }

    private TensorData external(TensorProto t, long expected) throws OnnxFormatException {
        String location = null;
        long offset = 0;
        long length = -1;
        for (StringStringEntryProto e : t.getExternalDataList()) {
            switch (e.getKey()) {
                case "location" -> location = e.getValue();
                case "offset" -> offset = number(t, e);
                case "length" -> length = number(t, e);
                default -> { }
            }
        }
        return ctx.external().region(t.getName(), location, offset, length, expected);
    }

    private long number(TensorProto t, StringStringEntryProto e) throws OnnxFormatException {
        try {
            long v = Long.parseLong(e.getValue().trim());
            if (v < 0) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException ex) {
            throw ctx.fail("tensor '" + t.getName() + "' has external data " + e.getKey() + " '" + e.getValue()
                    + "', not a non-negative integer");
        }
    }

    /** The tensor proto without everything the IR models. */
    static Unmodeled unmodeled(TensorProto t) {
        TensorProto rest = t.toBuilder()
                .clearDims().clearDataType().clearName().clearDocString().clearRawData()
                .clearFloatData().clearInt32Data().clearStringData().clearInt64Data()
                .clearDoubleData().clearUint64Data().clearDataLocation().clearExternalData()
                .setUnknownFields(UnknownFieldSet.newBuilder(t.getUnknownFields()).clearField(Wire.SOURCE_REF).build())
                .build();
        return Residuals.of(rest);
    }
}
