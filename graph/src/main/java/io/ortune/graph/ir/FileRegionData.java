package io.ortune.graph.ir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Tensor bytes in a region of a file (ONNX external data, a safetensors shard, a checkpoint), read lazily:
 * nothing is loaded until {@link #read()} maps the region or {@link #writeTo} streams it.
 *
 * @param file     the file holding the bytes
 * @param offset   first byte of the region
 * @param length   region length in bytes
 * @param location the file's name as the model referred to it (ONNX {@code location}), kept for reporting
 */
public record FileRegionData(Path file, long offset, long length, String location) implements TensorData {

    public FileRegionData {
        if (offset < 0 || length < 0) {
            throw new IllegalArgumentException("negative offset/length for " + file);
        }
    }

    @Override
    public long byteSize() {
        return length;
    }

    @Override
    public ByteBuffer read() {
        if (length > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor data in " + file + " is " + length
                    + " bytes, over the 2 GiB a single Java buffer can view; stream it with writeTo instead");
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            if (offset + length > ch.size()) {
                throw new IllegalStateException("external data file " + file + " has " + ch.size()
                        + " bytes, but a tensor needs bytes " + offset + ".." + (offset + length));
            }
            return ch.map(FileChannel.MapMode.READ_ONLY, offset, length).order(ByteOrder.LITTLE_ENDIAN);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read tensor data from " + file, e);
        }
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long pos = offset;
            long end = offset + length;
            while (pos < end) {
                long n = ch.transferTo(pos, end - pos, out);
                if (n <= 0) {
                    throw new IOException("external data file " + file + " ended at byte " + pos
                            + ", before the tensor's end at " + end);
                }
                pos += n;
            }
        }
    }
}
