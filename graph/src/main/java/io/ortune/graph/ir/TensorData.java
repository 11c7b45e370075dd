package io.ortune.graph.ir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/**
 * Where a tensor's bytes live: in memory (heap or a memory-mapped region), in a region of an external data file
 * that is only read when asked, computed on demand ({@link GeneratedData}), or a list of strings. Numeric data is always little-endian, packed as ONNX's
 * {@code raw_data}.
 */
public sealed interface TensorData permits BufferData, FileRegionData, GeneratedData, StringData {

    /** Size in bytes of the raw little-endian data (for strings: the sum of their lengths). */
    long byteSize();

    /**
     * A read-only little-endian view of all bytes. Lazy data is mapped now. Fails for data over 2 GiB
     * (Java buffers are int-indexed): use {@link #writeTo} for those.
     */
    ByteBuffer read();

    /** Streams all bytes to {@code out} without holding them on the heap. */
    void writeTo(WritableByteChannel out) throws IOException;
}
