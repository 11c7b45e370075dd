package io.ortune.graph.ir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.List;

/** The elements of a STRING tensor, as raw bytes (ONNX strings are byte strings, usually UTF-8). */
public record StringData(List<byte[]> strings) implements TensorData {

    public StringData {
        strings = List.copyOf(strings);
    }

    @Override
    public long byteSize() {
        long n = 0;
        for (byte[] s : strings) {
            n += s.length;
        }
        return n;
    }

    @Override
    public ByteBuffer read() {
        throw new UnsupportedOperationException("a STRING tensor has no raw byte layout; use strings()");
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        throw new UnsupportedOperationException("a STRING tensor cannot be written as raw/external data");
    }
}
