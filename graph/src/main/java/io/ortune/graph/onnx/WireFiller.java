package io.ortune.graph.onnx;

import io.ortune.graph.ir.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes a serialized message whose TensorProtos carry {@link Wire#PENDING_REF} placeholders, replacing each
 * with the real {@code raw_data} streamed from its {@link TensorData} and fixing the enclosing lengths. This is how
 * {@link OnnxWriter} writes inline weights without first copying them into protobuf byte strings (protobuf-java
 * 4.x copies any buffer that is not a heap array).
 */
final class WireFiller {

    private final ByteBuffer hollow;
    private final List<TensorData> pending;
    private final Map<Long, Long> sizes = new HashMap<>();
    private final ByteBuffer buffer = ByteBuffer.allocate(1 << 16);
    private WritableByteChannel out;

    WireFiller(byte[] hollow, List<TensorData> pending) {
        this.hollow = ByteBuffer.wrap(hollow);
        this.pending = pending;
    }

    /** The size of the filled message. */
    long size(Wire.Msg root) {
        return size(root, 0, hollow.limit());
    }

    /** Writes the filled message. */
    void write(Wire.Msg root, WritableByteChannel channel) throws IOException {
        this.out = channel;
        write(root, 0, hollow.limit());
        flush();
    }

    private long size(Wire.Msg kind, long start, long end) {
        Long known = sizes.get(start);
        if (known != null) {
            return known;
        }
        long total = 0;
        Wire.Reader in = new Wire.Reader(hollow, start);
        while (in.pos < end) {
            long fieldStart = in.pos;
            long tag = varint(in, end);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (kind == Wire.Msg.TENSOR && field == Wire.PENDING_REF) {
                long n = pending.get((int) varint(in, end)).byteSize();
                total += Wire.varintSize(Wire.tag(Wire.RAW_DATA, Wire.LENGTH_DELIMITED)) + Wire.varintSize(n) + n;
                continue;
            }
            Wire.Msg child = wireType == Wire.LENGTH_DELIMITED ? kind.child(field) : null;
            if (child != null) {
                long length = varint(in, end);
                long childSize = size(child, in.pos, in.pos + length);
                total += Wire.varintSize(tag) + Wire.varintSize(childSize) + childSize;
                in.pos += length;
            } else {
                skip(in, wireType, field, end);
                total += in.pos - fieldStart;
            }
        }
        sizes.put(start, total);
        return total;
    }

    private void write(Wire.Msg kind, long start, long end) throws IOException {
        Wire.Reader in = new Wire.Reader(hollow, start);
        while (in.pos < end) {
            long fieldStart = in.pos;
            long tag = varint(in, end);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (kind == Wire.Msg.TENSOR && field == Wire.PENDING_REF) {
                TensorData data = pending.get((int) varint(in, end));
                putVarint(Wire.tag(Wire.RAW_DATA, Wire.LENGTH_DELIMITED));
                putVarint(data.byteSize());
                flush();
                data.writeTo(out);
                continue;
            }
            Wire.Msg child = wireType == Wire.LENGTH_DELIMITED ? kind.child(field) : null;
            if (child != null) {
                long length = varint(in, end);
                putVarint(tag);
                putVarint(size(child, in.pos, in.pos + length));
                write(child, in.pos, in.pos + length);
                in.pos += length;
            } else {
                skip(in, wireType, field, end);
                copy(fieldStart, in.pos);
            }
        }
    }

    private static long varint(Wire.Reader in, long end) {
        try {
            return in.varint(end);
        } catch (Wire.Malformed e) {
            throw new IllegalStateException("protobuf produced malformed bytes: " + e.getMessage(), e);
        }
    }

    private static void skip(Wire.Reader in, int wireType, int field, long end) {
        try {
            Wire.skipValue(in, wireType, field, end);
        } catch (Wire.Malformed e) {
            throw new IllegalStateException("protobuf produced malformed bytes: " + e.getMessage(), e);
        }
    }

    private void putVarint(long v) throws IOException {
        if (buffer.remaining() < 10) {
            flush();
        }
        while ((v & ~0x7fL) != 0) {
            buffer.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        buffer.put((byte) v);
    }

    private void copy(long from, long to) throws IOException {
        int pos = (int) from;
        while (pos < to) {
            if (!buffer.hasRemaining()) {
                flush();
            }
            int n = (int) Math.min(buffer.remaining(), to - pos);
            buffer.put(buffer.position(), hollow, pos, n);
            buffer.position(buffer.position() + n);
            pos += n;
        }
    }

    private void flush() throws IOException {
        buffer.flip();
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
        buffer.clear();
    }
}
