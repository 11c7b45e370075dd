package io.ortune.graph.onnx;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Appends tensor bytes to a temporary side file, streaming them ({@link io.ortune.graph.ir.TensorData#writeTo})
 * so no tensor has to fit in memory. The file is created on the first tensor; {@link OnnxWriter} renames it into
 * place once everything was written, or deletes it.
 */
final class ExternalDataWriter implements Closeable {

    /** Tensors at least this large start on a {@link #LARGE_ALIGNMENT} boundary (memory-mappable everywhere). */
    static final long LARGE_TENSOR = 1 << 20;
    static final int LARGE_ALIGNMENT = 1 << 16;

    private final Path folder;
    private final String location;
    private final int alignment;
    private Path temp;
    private FileChannel channel;
    private long position;

    ExternalDataWriter(Path folder, String location, int alignment) {
        this.folder = folder;
        this.location = location;
        this.alignment = alignment;
    }

    /** Writes the tensor's bytes; returns where they will be once the file is in place. */
    FileRegionData append(Tensor t) throws IOException {
        if (channel == null) {
            temp = AtomicFiles.createTemp(folder.resolve(location));
            channel = FileChannel.open(temp, StandardOpenOption.WRITE);
        }
        long length = t.byteSize();
        int align = length >= LARGE_TENSOR ? Math.max(alignment, LARGE_ALIGNMENT) : alignment;
        long offset = (position + align - 1) / align * align;
        if (offset > position) {
            ByteBuffer zeros = ByteBuffer.allocate((int) (offset - position));
            while (zeros.hasRemaining()) {
                channel.write(zeros);
            }
        }
        t.data().writeTo(channel);
        long end = channel.position();
        if (end - offset != length) {
            throw new IOException("tensor '" + t.name() + "' should have written " + length + " bytes to "
                    + location + " but wrote " + (end - offset));
        }
        position = end;
        return new FileRegionData(target(), offset, length, location);
    }

    boolean used() {
        return temp != null;
    }

    /** The temporary file holding the data so far (null when nothing was written). */
    Path temp() {
        return temp;
    }

    /** Where the file goes once committed. */
    Path target() {
        return folder.resolve(location);
    }

    /** Flushes the data to disk. */
    void finish() throws IOException {
        if (channel != null) {
            channel.force(true);
            channel.close();
        }
    }

    @Override
    public void close() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }
}
