package io.ortune.graph.onnx;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Copies a serialized model (or tensor) out of a memory-mapped buffer without its large {@code raw_data}
 * payloads: each is replaced by a small {@link Wire#SOURCE_REF} field holding its offset and length, and the
 * lengths of the enclosing messages are rewritten. Protobuf then parses only the small remainder (protobuf-java
 * 4.x copies any direct buffer it is given), and {@link TensorDecoder} turns each reference into a slice of the
 * mapping, so weights never reach the heap.
 */
final class WireHollower {

    /** Smaller payloads are simply copied. */
    static final int MIN_ALIASED = 64;

    private final ByteBuffer src;
    private final Wire.Reader in;

    private WireHollower(ByteBuffer src) {
        this.src = src;
        this.in = new Wire.Reader(src, 0);
    }

    /** The hollowed bytes of the {@code root} message filling {@code src} (absolute indices from 0). */
    static byte[] hollow(ByteBuffer src, Wire.Msg root) throws Wire.Malformed {
        WireHollower h = new WireHollower(src);
        Out out = new Out(Math.min(src.limit(), 1 << 20));
        h.message(root, 0, src.limit(), out);
        return out.toArray();
    }

    private void message(Wire.Msg kind, long start, long end, Out out) throws Wire.Malformed {
        in.pos = start;
        while (in.pos < end) {
            long tagStart = in.pos;
            long tag = in.varint(end);
            int field = (int) (tag >>> 3);
            int wireType = (int) (tag & 7);
            if (field == 0) {
                throw new Wire.Malformed("field number 0");
            }
            if (kind == Wire.Msg.TENSOR && (field == Wire.SOURCE_REF || field == Wire.PENDING_REF)) {
                throw new Wire.Malformed("TensorProto uses field " + field + ", which ortune reserves");
            }
            if (wireType == Wire.LENGTH_DELIMITED) {
                lengthDelimited(kind, field, tagStart, end, out);
            } else {
                Wire.skipValue(in, wireType, field, end);
                out.copy(src, tagStart, in.pos);
            }
        }
        if (in.pos != end) {
            throw new Wire.Malformed("message overruns its length");
        }
    }

    private void lengthDelimited(Wire.Msg kind, int field, long tagStart, long end, Out out) throws Wire.Malformed {
        long length = in.varint(end);
        long bodyStart = in.pos;
        if (length < 0 || length > end - bodyStart) {
            throw new Wire.Malformed("length past the end");
        }
        long bodyEnd = bodyStart + length;
        Wire.Msg child = kind.child(field);
        if (kind == Wire.Msg.TENSOR && field == Wire.RAW_DATA && length >= MIN_ALIASED) {
            int refLength = Wire.varintSize(bodyStart) + Wire.varintSize(length);
            out.varint(Wire.tag(Wire.SOURCE_REF, Wire.LENGTH_DELIMITED));
            out.varint(refLength);
            out.varint(bodyStart);
            out.varint(length);
        } else if (child != null) {
            Out sub = new Out(64);
            message(child, bodyStart, bodyEnd, sub);
            out.varint(Wire.tag(field, Wire.LENGTH_DELIMITED));
            out.varint(sub.size);
            out.append(sub);
        } else {
            out.copy(src, tagStart, bodyEnd);
        }
        in.pos = bodyEnd;
    }

    /** A growable byte array. */
    static final class Out {
        byte[] bytes;
        int size;

        Out(int capacity) {
            bytes = new byte[Math.max(16, capacity)];
        }

        private void ensure(long extra) throws Wire.Malformed {
            long need = size + extra;
            if (need > Integer.MAX_VALUE - 16) {
                throw new Wire.Malformed("over 2 GiB");
            }
            if (need > bytes.length) {
                bytes = Arrays.copyOf(bytes, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(need, 2L * bytes.length)));
            }
        }

        void varint(long v) throws Wire.Malformed {
            ensure(10);
            size = Wire.putVarint(bytes, size, v);
        }

        void copy(ByteBuffer src, long from, long to) throws Wire.Malformed {
            int n = (int) (to - from);
            ensure(n);
            src.get((int) from, bytes, size, n);
            size += n;
        }

        void append(Out other) throws Wire.Malformed {
            ensure(other.size);
            System.arraycopy(other.bytes, 0, bytes, size, other.size);
            size += other.size;
        }

        byte[] toArray() {
            return Arrays.copyOf(bytes, size);
        }
    }
}
