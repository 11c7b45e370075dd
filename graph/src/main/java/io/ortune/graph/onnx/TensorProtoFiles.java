package io.ortune.graph.onnx;

import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.InvalidProtocolBufferException;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Single serialized {@code TensorProto} files, the format of the ONNX backend test data
 * ({@code test_data_set_0/input_0.pb}) and of {@code onnx.numpy_helper}. Reading maps the file and aliases
 * {@code raw_data}, like {@link OnnxReader}; external data is resolved relative to the file's folder.
 */
public final class TensorProtoFiles {

    private TensorProtoFiles() {
    }

    /** Reads a {@code .pb} tensor file. */
    public static Tensor read(Path file) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            DecodeContext ctx = new DecodeContext(file);
            if (ch.size() > Integer.MAX_VALUE) {
                throw ctx.fail("the file is " + ch.size() + " bytes, over protobuf's 2 GiB limit");
            }
            return decode(ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size()), ctx);
        }
    }

    /** Reads a serialized tensor from bytes. */
    public static Tensor read(byte[] bytes) throws OnnxFormatException {
        return decode(ByteBuffer.wrap(bytes), new DecodeContext(null));
    }

    /** Writes {@code tensor} inline as a serialized {@code TensorProto}, atomically. */
    public static void write(Tensor tensor, Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        TensorProto proto = encode(tensor, target.toString());
        Path temp = AtomicFiles.createTemp(target.getParent(), target.getFileName().toString());
        boolean committed = false;
        Throwable failure = null;
        try {
            try (FileChannel ch = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                OutputStream os = Channels.newOutputStream(ch);
                CodedOutputStream out = CodedOutputStream.newInstance(os, 1 << 16);
                proto.writeTo(out);
                out.flush();
                ch.force(true);
            }
            AtomicFiles.move(temp, target);
            committed = true;
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            if (!committed) {
                AtomicFiles.deleteQuietly(temp, failure);
            }
        }
    }

    /** The tensor as a serialized {@code TensorProto}. */
    public static byte[] toBytes(Tensor tensor) throws IOException {
        return encode(tensor, "<in-memory tensor>").toByteArray();
    }

    private static TensorProto encode(Tensor tensor, String target) throws IOException {
        TensorProto proto = new TensorEncoder(target, null, 0).encodeInline(tensor, tensor.name());
        if (proto.getSerializedSize() < 0) {
            throw new OnnxFormatException(target, "tensor '" + tensor.name() + "' is over protobuf's 2 GiB limit");
        }
        return proto;
    }

    private static Tensor decode(ByteBuffer buffer, DecodeContext ctx) throws OnnxFormatException {
        TensorProto proto;
        try {
            CodedInputStream in = CodedInputStream.newInstance(buffer);
            in.enableAliasing(true);
            in.setSizeLimit(Integer.MAX_VALUE);
            proto = TensorProto.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw ctx.fail("not a valid serialized TensorProto (truncated or corrupt file?): " + e.getMessage(), e);
        } catch (IOException e) {
            throw ctx.fail("cannot parse: " + e.getMessage(), e);
        }
        if (!proto.hasDataType()) {
            throw ctx.fail("not a serialized TensorProto: it has no data_type");
        }
        return new TensorDecoder(ctx).decode(proto);
    }
}
