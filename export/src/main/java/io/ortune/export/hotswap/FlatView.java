package io.ortune.export.hotswap;

import io.ortune.export.adapter.AdapterException;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounds-checked view of one flatbuffer table in an untrusted file: every offset is checked against the buffer
 * before use; a bad one raises an {@link AdapterException} naming the file and the byte position.
 */
final class FlatView {

    private final ByteBuffer bb;
    private final String source;
    private final int pos;
    private final int vtable;
    private final int vtableSize;

    private FlatView(ByteBuffer bb, String source, int pos) {
        this.bb = bb;
        this.source = source;
        this.pos = check(bb, source, pos, 4, "table");
        int vt = pos - bb.getInt(pos);
        this.vtable = check(bb, source, vt, 4, "vtable");
        this.vtableSize = Short.toUnsignedInt(bb.getShort(vt));
        if (vtableSize < 4 || (vtableSize & 1) != 0) {
            throw error(source, "vtable of size " + vtableSize, vt);
        }
        check(bb, source, vt, vtableSize, "vtable");
    }

    /** The root table of a little-endian buffer that starts at position 0. */
    static FlatView root(ByteBuffer bb, String source) {
        if (bb.limit() < 8) {
            throw new AdapterException(source, bb.limit() + " bytes, too short for a flatbuffer");
        }
        return new FlatView(bb, source, indirect(bb, source, 0));
    }

    /** The 4-character file identifier at bytes 4..8. */
    static String identifier(ByteBuffer bb) {
        byte[] id = new byte[4];
        for (int i = 0; i < 4; i++) {
            id[i] = bb.get(4 + i);
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    int getInt(int field, int dflt) {
        int p = fieldPos(field);
        return p == 0 ? dflt : bb.getInt(check(bb, source, p, 4, "int field"));
    }

    /** The string field, or null when absent. */
    String getString(int field) {
        int p = fieldPos(field);
        if (p == 0) {
            return null;
        }
        int at = vector(p, 1, "string");
        ByteBuffer s = bb.duplicate().position(at + 4).limit(at + 4 + bb.getInt(at));
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .decode(s).toString();
        } catch (CharacterCodingException e) {
            throw error(source, "string that is not UTF-8", at);
        }
    }

    /** A vector of int64 (empty when absent). */
    long[] getLongs(int field) {
        int p = fieldPos(field);
        if (p == 0) {
            return new long[0];
        }
        int at = vector(p, 8, "int64 vector");
        long[] out = new long[bb.getInt(at)];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getLong(at + 4 + 8 * i);
        }
        return out;
    }

    /** A vector of bytes (empty when absent). */
    byte[] getBytes(int field) {
        int p = fieldPos(field);
        if (p == 0) {
            return new byte[0];
        }
        int at = vector(p, 1, "byte vector");
        byte[] out = new byte[bb.getInt(at)];
        bb.duplicate().position(at + 4).get(out);
        return out;
    }

    /** A vector of tables (empty when absent). */
    List<FlatView> getTables(int field) {
        int p = fieldPos(field);
        if (p == 0) {
            return List.of();
        }
        int at = vector(p, 4, "table vector");
        int n = bb.getInt(at);
        List<FlatView> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new FlatView(bb, source, indirect(bb, source, at + 4 + 4 * i)));
        }
        return out;
    }

    /** The position of a vector's length word, its elements checked to lie in the buffer. */
    private int vector(int fieldPos, int elemSize, String what) {
        int at = indirect(bb, source, check(bb, source, fieldPos, 4, what + " offset"));
        check(bb, source, at, 4, what + " length");
        long n = Integer.toUnsignedLong(bb.getInt(at));
        if (n * elemSize > bb.limit() - at - 4L) {
            throw error(source, what + " of " + n + " elements running past the end", at);
        }
        return at;
    }

    private int fieldPos(int field) {
        int slot = 4 + 2 * field;
        if (slot + 2 > vtableSize) {
            return 0;
        }
        int off = Short.toUnsignedInt(bb.getShort(vtable + slot));
        return off == 0 ? 0 : pos + off;
    }

    private static int indirect(ByteBuffer bb, String source, int at) {
        check(bb, source, at, 4, "offset");
        long target = at + Integer.toUnsignedLong(bb.getInt(at));
        if (target >= bb.limit()) {
            throw error(source, "offset pointing past the end", at);
        }
        return (int) target;
    }

    private static int check(ByteBuffer bb, String source, int at, int size, String what) {
        if (at < 0 || (long) at + size > bb.limit()) {
            throw error(source, what + " outside the file", at);
        }
        return at;
    }

    private static AdapterException error(String source, String what, int at) {
        return new AdapterException(source, "corrupt flatbuffer: " + what + " at byte " + at);
    }
}
