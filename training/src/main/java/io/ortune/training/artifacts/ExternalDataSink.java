package io.ortune.training.artifacts;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Appends tensor bytes to a checkpoint's external data file, each tensor aligned to 4 bytes (8 for 64-bit
 * element types, as ONNX Runtime aligns its own), streaming them from {@link io.ortune.graph.ir.TensorData#writeTo}.
 */
final class ExternalDataSink {

    private static final ByteBuffer ZEROS = ByteBuffer.allocate(8);

    private final FileChannel channel;
    private long position;

    ExternalDataSink(FileChannel channel) throws IOException {
        this.channel = channel;
        this.position = channel.position();
    }

    /** Writes the tensor's bytes and returns the offset they start at. */
    long append(Tensor t) throws IOException {
        int alignment = t.dtype().bits() >= 64 ? 8 : 4;
        int pad = (int) ((alignment - position % alignment) % alignment);
        if (pad > 0) {
            AtomicFiles.writeFully(channel, ZEROS.duplicate().limit(pad));
            position += pad;
        }
        long offset = position;
        t.data().writeTo(channel);
        long written = channel.position() - offset;
        if (written != t.byteSize()) {
            throw new IOException("tensor '" + t.name() + "' wrote " + written + " bytes of external checkpoint data, "
                    + "expected " + t.byteSize());
        }
        position = channel.position();
        return offset;
    }

    long size() {
        return position;
    }
}
