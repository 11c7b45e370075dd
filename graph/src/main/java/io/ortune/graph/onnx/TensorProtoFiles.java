package io.ortune.graph.onnx;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Single serialized {@code TensorProto} files, the format of the ONNX backend test data
 * ({@code test_data_set_0/input_0.pb}) and of {@code onnx.numpy_helper}. Reading maps the file and leaves
 * {@code raw_data} in the mapping, like {@link OnnxReader}; external data is resolved relative to the file's
 * folder. Writing streams the tensor's bytes.
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
        WireFiller filler = filler(tensor, target.toString());
        AtomicFiles.write(target, ch -> filler.write(Wire.Msg.TENSOR, ch));
    }

    /** The tensor as a serialized {@code TensorProto}. */
    public static byte[] toBytes(Tensor tensor) throws IOException {
        WireFiller filler = filler(tensor, "<in-memory tensor>");
        ByteBuffer out = ByteBuffer.allocate((int) filler.size(Wire.Msg.TENSOR));
        filler.write(Wire.Msg.TENSOR, new OnnxWriter.BufferChannel(out));
        return out.array();
    }

    private static WireFiller filler(Tensor tensor, String target) throws IOException {
        TensorEncoder encoder = new TensorEncoder(target, null, 0);
        TensorProto proto = encoder.encodeInline(tensor, tensor.name());
        WireFiller filler = new WireFiller(proto.toByteArray(), encoder.pending());
        if (filler.size(Wire.Msg.TENSOR) > TensorEncoder.PROTOBUF_LIMIT) {
            throw new OnnxFormatException(target, "tensor '" + tensor.name() + "' is over protobuf's 2 GiB limit");
        }
        return filler;
    }

    private static Tensor decode(ByteBuffer buffer, DecodeContext ctx) throws OnnxFormatException {
        TensorProto proto = WireParsing.parse(buffer, Wire.Msg.TENSOR, TensorProto.parser(), ctx,
                "serialized TensorProto", "");
        if (!proto.hasDataType()) {
            throw ctx.fail("not a serialized TensorProto: it has no data_type");
        }
        return new TensorDecoder(ctx).decode(proto);
    }
}
