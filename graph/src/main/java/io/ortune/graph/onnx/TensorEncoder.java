package io.ortune.graph.onnx;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import io.ortune.graph.ir.TensorData;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@link Tensor} to {@code TensorProto}: inline, or in the side file when external data is on and the tensor is
 * large enough. Inline data is not put into the proto: a {@link Wire#PENDING_REF} placeholder names it, and
 * {@link WireFiller} streams the bytes when the message is written. Keeps count of the inline bytes so that a
 * model too large for one protobuf message fails early with advice.
 */
final class TensorEncoder {

    /** Protobuf cannot serialize or parse a message of 2 GiB or more. */
    static final long PROTOBUF_LIMIT = Integer.MAX_VALUE;

    private final String target;
    private final ExternalDataWriter external;
    private final long threshold;
    private final Map<Tensor, FileRegionData> written = new IdentityHashMap<>();
    private final List<TensorData> pending = new ArrayList<>();
    private long inlineBytes;

    /** {@code external} null: everything inline. {@code target} names the output in messages. */
    TensorEncoder(String target, ExternalDataWriter external, long threshold) {
        this.target = target;
        this.external = external;
        this.threshold = threshold;
    }

    /** Encodes an initializer, which may go to the side file. */
    TensorProto encodeInitializer(Tensor t, String name) throws IOException {
        if (external != null && t.dtype() != DataType.STRING && t.dtype() != DataType.UNDEFINED
                && t.byteSize() > 0 && t.byteSize() >= threshold) {
            FileRegionData region = external.append(t);
            written.put(t, region);
            return header(t, name)
                    .setDataLocation(TensorProto.DataLocation.EXTERNAL)
                    .addExternalData(entry("location", region.location()))
                    .addExternalData(entry("offset", Long.toString(region.offset())))
                    .addExternalData(entry("length", Long.toString(region.length())))
                    .build();
        }
        return encodeInline(t, name);
    }

    /** Encodes a tensor inside the model (attribute tensors, small initializers). */
    TensorProto encodeInline(Tensor t, String name) throws IOException {
        TensorProto.Builder b = header(t, name);
        if (t.data() instanceof StringData s) {
            for (byte[] str : s.strings()) {
                b.addStringData(ByteString.copyFrom(str));
            }
            count(t.byteSize());
        } else if (t.byteSize() == 0) {
            if (t.dtype() != DataType.UNDEFINED) {
                b.setRawData(ByteString.EMPTY);
            }
        } else {
            count(t.byteSize());
            pending.add(t.data());
            b.setUnknownFields(UnknownFieldSet.newBuilder(b.getUnknownFields())
                    .addField(Wire.PENDING_REF, UnknownFieldSet.Field.newBuilder().addVarint(pending.size() - 1).build())
                    .build());
        }
        return b.build();
    }

    private TensorProto.Builder header(Tensor t, String name) {
        TensorProto.Builder b = Residuals.parse(t.unmodeled(), TensorProto.parser(), TensorProto.getDefaultInstance(),
                "tensor '" + name + "'").toBuilder();
        b.setUnknownFields(UnknownFieldSet.newBuilder(b.getUnknownFields())
                .clearField(Wire.SOURCE_REF).clearField(Wire.PENDING_REF).build());
        if (!name.isEmpty()) {
            b.setName(name);
        }
        b.setDataType(t.dtype().onnxCode());
        for (long d : t.dims()) {
            b.addDims(d);
        }
        if (!t.docString().isEmpty()) {
            b.setDocString(t.docString());
        }
        return b;
    }

    private void count(long bytes) throws OnnxFormatException {
        inlineBytes += bytes;
        if (inlineBytes > PROTOBUF_LIMIT) {
            throw new OnnxFormatException(target, "the model has more than 2 GiB of tensor data to store inside"
                    + " the .onnx file, over protobuf's 2 GiB limit for one message; write it with external data,"
                    + " e.g. OnnxWriter.write(model, path, WriteOptions.externalData())"
                    + (external != null ? " with a lower size threshold" : ""));
        }
    }

    /** The inline tensor data the {@link Wire#PENDING_REF} placeholders refer to, by index. */
    List<TensorData> pending() {
        return pending;
    }

    /** Every tensor written to the side file, with its new region. */
    Map<Tensor, FileRegionData> written() {
        return written;
    }

    private static StringStringEntryProto entry(String key, String value) {
        return StringStringEntryProto.newBuilder().setKey(key).setValue(value).build();
    }
}
