package io.ortune.graph.ir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.WritableByteChannel;

/** Tensor bytes held in a buffer: on the heap, direct, or aliasing a memory-mapped model file. */
public record BufferData(ByteBuffer buffer) implements TensorData {

    public BufferData {
        buffer = buffer.slice().asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    public static BufferData wrap(byte[] bytes) {
        return new BufferData(ByteBuffer.wrap(bytes));
    }

    @Override
    public long byteSize() {
        return buffer.remaining();
    }

    @Override
    public ByteBuffer read() {
        return buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void writeTo(WritableByteChannel out) throws IOException {
        ByteBuffer b = read();
        while (b.hasRemaining()) {
            out.write(b);
        }
    }
}
