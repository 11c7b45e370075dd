package io.ortune.graph.onnx;

import java.nio.ByteBuffer;

/**
 * The few protobuf wire-format facts the raw-data splicing needs ({@link WireHollower}, {@link WireFiller}):
 * varints, tags, and which fields of which ONNX messages lead to the {@code TensorProto}s the IR models
 * (graph initializers, node attribute tensors, subgraphs).
 */
final class Wire {

    /** TensorProto.raw_data. */
    static final int RAW_DATA = 9;
    /** Set by the reader in a hollowed TensorProto: (offset, length) of its raw_data in the source buffer. */
    static final int SOURCE_REF = 536_870_001;
    /** Set by the writer in a TensorProto: index of the tensor data to stream as raw_data. */
    static final int PENDING_REF = 536_870_002;

    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int START_GROUP = 3;
    static final int END_GROUP = 4;
    static final int FIXED32 = 5;

    private Wire() {
    }

    /** The messages on the way from a model (or a lone tensor) to its TensorProtos. */
    enum Msg {
        MODEL, GRAPH, NODE, ATTRIBUTE, TENSOR;

        /** The kind of message field {@code field} of this message holds, or null when it leads to no tensor. */
        Msg child(int field) {
            switch (this) {
                case MODEL:
                    return field == 7 ? GRAPH : null;
                case GRAPH:
                    return field == 5 ? TENSOR : field == 1 ? NODE : null;
                case NODE:
                    return field == 5 ? ATTRIBUTE : null;
                case ATTRIBUTE:
                    return field == 5 || field == 10 ? TENSOR : field == 6 || field == 11 ? GRAPH : null;
                default:
                    return null;
            }
        }
    }

    /** Malformed wire data; the caller falls back to plain protobuf parsing, which reports it properly. */
    static final class Malformed extends Exception {
        private static final long serialVersionUID = 1L;

        Malformed(String what) {
            super(what, null, false, false);
        }
    }

    /** A reading position over a buffer (absolute indices). */
    static final class Reader {
        final ByteBuffer buf;
        long pos;

        Reader(ByteBuffer buf, long pos) {
            this.buf = buf;
            this.pos = pos;
        }

        long varint(long end) throws Malformed {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw new Malformed("varint runs past the end");
                }
                byte b = buf.get((int) pos++);
                result |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw new Malformed("varint longer than 10 bytes");
        }
    }

    /**
     * Moves past the value of a field whose tag was just read (groups, deprecated but legal, included), or fails
     * on a wire type that cannot start a value.
     */
    static void skipValue(Reader in, int wireType, int field, long end) throws Malformed {
        switch (wireType) {
            case VARINT -> in.varint(end);
            case FIXED64 -> advance(in, 8, end);
            case FIXED32 -> advance(in, 4, end);
            case LENGTH_DELIMITED -> {
                long n = in.varint(end);
                if (n < 0) {
                    throw new Malformed("negative length");
                }
                advance(in, n, end);
            }
            case START_GROUP -> {
                while (true) {
                    long tag = in.varint(end);
                    int wt = (int) (tag & 7);
                    if (wt == END_GROUP) {
                        if ((tag >>> 3) != field) {
                            throw new Malformed("mismatched end of group");
                        }
                        return;
                    }
                    skipValue(in, wt, (int) (tag >>> 3), end);
                }
            }
            default -> throw new Malformed("wire type " + wireType);
        }
    }

    private static void advance(Reader in, long n, long end) throws Malformed {
        if (n > end - in.pos) {
            throw new Malformed("field runs past the end");
        }
        in.pos += n;
    }

    static int varintSize(long v) {
        int n = 1;
        while ((v & ~0x7fL) != 0) {
            v >>>= 7;
            n++;
        }
        return n;
    }

    static int putVarint(byte[] out, int at, long v) {
        while ((v & ~0x7fL) != 0) {
            out[at++] = (byte) ((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out[at++] = (byte) v;
        return at;
    }

    static long tag(int field, int wireType) {
        return ((long) field << 3) | wireType;
    }
}
