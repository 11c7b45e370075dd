package io.ortune.graph.onnx;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads {@code .onnx} files into the IR.
 *
 * <p>The file is memory-mapped and its tensor payloads are not copied: every large {@code raw_data} becomes a
 * {@link io.ortune.graph.ir.BufferData} over the mapping, so weights are paged in only when used (protobuf-java 4.x
 * would copy a mapped buffer onto the heap, so the payloads are cut out of what protobuf parses and referenced
 * in place). External data is not read at all: those tensors get a lazy {@link io.ortune.graph.ir.FileRegionData}
 * after their location was checked to lie inside the model's folder. What the IR does not model is kept as
 * {@link io.ortune.graph.ir.Unmodeled} bytes at every level, so {@link OnnxWriter} writes it back.
 *
 * <pre>{@code
 * Model model = OnnxReader.read(Path.of("model.onnx"));
 * }</pre>
 */
public final class OnnxReader {

    private OnnxReader() {
    }

    /**
     * Reads a model file (and checks, without reading them, its external data files).
     *
     * @throws OnnxFormatException when the file is not a valid ONNX model or its external data is unusable
     * @throws IOException         when the file cannot be read at all
     */
    public static Model read(Path file) throws IOException {
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString(), null, "ONNX model file does not exist");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            DecodeContext ctx = new DecodeContext(file);
            if (size > Integer.MAX_VALUE) {
                throw ctx.fail("the file is " + size + " bytes; a single .onnx file cannot exceed 2 GiB (protobuf's"
                        + " limit), so this is not a valid model. Large weights belong in external data files");
            }
            MappedByteBuffer mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
            return decode(mapped, ctx);
        }
    }

    /**
     * Reads a model from bytes (an in-memory model cannot refer to external data). Tensor data aliases
     * {@code bytes}: do not change the array afterwards.
     */
    public static Model read(byte[] bytes) throws OnnxFormatException {
        return decode(ByteBuffer.wrap(bytes), new DecodeContext(null));
    }

    /**
     * Reads a model held in a buffer, aliasing tensor data into it (the buffer must not change afterwards).
     * {@code modelFile} locates external data and names the model in messages; it may be null.
     */
    public static Model read(ByteBuffer buffer, Path modelFile) throws OnnxFormatException {
        return decode(buffer.slice(), new DecodeContext(modelFile));
    }

    static ModelProto parse(ByteBuffer buffer, DecodeContext ctx) throws OnnxFormatException {
        if (!buffer.hasRemaining()) {
            throw ctx.fail("the file is empty, not an ONNX model");
        }
        String hint = ctx.source().endsWith(".pb")
                ? " (a .pb file usually holds one serialized tensor: read it with TensorProtoFiles.read)" : "";
        return WireParsing.parse(buffer, Wire.Msg.MODEL, ModelProto.parser(), ctx, "ONNX protobuf", hint);
    }

    private static Model decode(ByteBuffer buffer, DecodeContext ctx) throws OnnxFormatException {
        ModelProto mp = parse(buffer, ctx);
        try {
            return new ModelDecoder(ctx).decode(mp);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // The IR refused something the file says (a value produced twice, ...): report it against the file.
            throw ctx.fail(e.getMessage(), e);
        }
    }
}
