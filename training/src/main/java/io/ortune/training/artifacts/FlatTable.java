package io.ortune.training.artifacts;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A bounds-checked view of one flatbuffer table, for reading untrusted files: every offset is checked against the
 * buffer before use, and a bad one raises {@link CheckpointFormatException} naming the file and byte position.
 */
final class FlatTable {

    private final ByteBuffer bb;
    private final String source;
    private final int pos;
    private final int vtable;
    private final int vtableSize;

    private FlatTable(ByteBuffer bb, String source, int pos) throws CheckpointFormatException {
        this.bb = bb;
        this.source = source;
        this.pos = checkRange(pos, 4, "table");
        int vt = pos - bb.getInt(pos);
        this.vtable = checkRange(vt, 4, "vtable");
        this.vtableSize = Short.toUnsignedInt(bb.getShort(vt));
        if (vtableSize < 4 || (vtableSize & 1) != 0) {
            throw error("vtable of size " + vtableSize, vt);
        }
        checkRange(vt, vtableSize, "vtable");
    }

    /** The root table of a finished buffer (little-endian, starting at position 0). */
    static FlatTable root(ByteBuffer buffer, String source) throws CheckpointFormatException {
        ByteBuffer bb = buffer.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        if (bb.limit() < 8) {
            throw new CheckpointFormatException(source + ": " + bb.limit() + " bytes, too short for a flatbuffer");
        }
        return new FlatTable(bb, source, indirect(bb, source, 0));
    }

    /** The 4-character file identifier at bytes 4..8. */
    static String identifier(ByteBuffer buffer) {
        byte[] id = new byte[4];
        for (int i = 0; i < 4; i++) {
            id[i] = buffer.get(4 + i);
        }
        return new String(id, StandardCharsets.ISO_8859_1);
    }

    boolean has(int field) throws CheckpointFormatException {
        return fieldPos(field) != 0;
    }

    int getInt(int field, int dflt) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? dflt : bb.getInt(checkRange(p, 4, "int field"));
    }

    long getLong(int field, long dflt) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? dflt : bb.getLong(checkRange(p, 8, "long field"));
    }

    float getFloat(int field, float dflt) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? dflt : bb.getFloat(checkRange(p, 4, "float field"));
    }

    boolean getBool(int field, boolean dflt) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? dflt : bb.get(checkRange(p, 1, "bool field")) != 0;
    }

    /** The string field, or null when absent. */
    String getString(int field) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? null : stringAt(indirect(bb, source, checkRange(p, 4, "string offset")));
    }

    /** The table field, or null when absent. */
    FlatTable getTable(int field) throws CheckpointFormatException {
        int p = fieldPos(field);
        return p == 0 ? null : new FlatTable(bb, source, indirect(bb, source, checkRange(p, 4, "table offset")));
    }

    /** The vector-of-tables field, or null when absent. */
    List<FlatTable> getTables(int field) throws CheckpointFormatException {
        int start = vectorStart(field, 4);
        if (start < 0) {
            return null;
        }
        int n = bb.getInt(start - 4);
        List<FlatTable> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(new FlatTable(bb, source, indirect(bb, source, start + 4 * i)));
        }
        return out;
    }

    /** The vector-of-strings field, or null when absent. */
    List<String> getStrings(int field) throws CheckpointFormatException {
        int start = vectorStart(field, 4);
        if (start < 0) {
            return null;
        }
        int n = bb.getInt(start - 4);
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(stringAt(indirect(bb, source, start + 4 * i)));
        }
        return out;
    }

    /** The [int64] field, or null when absent. */
    long[] getLongs(int field) throws CheckpointFormatException {
        int start = vectorStart(field, 8);
        if (start < 0) {
            return null;
        }
        long[] out = new long[bb.getInt(start - 4)];
        for (int i = 0; i < out.length; i++) {
            out[i] = bb.getLong(start + 8 * i);
        }
        return out;
    }

    /** The [uint8] field as a little-endian read-only slice of the buffer (no copy), or null when absent. */
    ByteBuffer getBytes(int field) throws CheckpointFormatException {
        int start = vectorStart(field, 1);
        if (start < 0) {
            return null;
        }
        int n = bb.getInt(start - 4);
        return bb.duplicate().position(start).limit(start + n).slice().asReadOnlyBuffer()
                .order(ByteOrder.LITTLE_ENDIAN);
    }

    /** Byte position of this table, for messages. */
    int position() {
        return pos;
    }

    // ---- internals ---------------------------------------------------------------------------------------------

    private int fieldPos(int field) throws CheckpointFormatException {
        int vo = 4 + 2 * field;
        if (vo + 2 > vtableSize) {
            return 0;
        }
        int off = Short.toUnsignedInt(bb.getShort(vtable + vo));
        return off == 0 ? 0 : checkRange(pos + off, 1, "field " + field);
    }

    /** Position of a vector's first element (its length, checked, sits 4 bytes before), or -1 when absent. */
    private int vectorStart(int field, int elementSize) throws CheckpointFormatException {
        int p = fieldPos(field);
        if (p == 0) {
            return -1;
        }
        int vec = indirect(bb, source, checkRange(p, 4, "vector offset"));
        checkRange(vec, 4, "vector length");
        long n = Integer.toUnsignedLong(bb.getInt(vec));
        if (n * elementSize > bb.limit() - (long) vec - 4) {
            throw error("vector of " + n + " elements running past the end", vec);
        }
        return vec + 4;
    }

    private String stringAt(int p) throws CheckpointFormatException {
        checkRange(p, 4, "string length");
        long n = Integer.toUnsignedLong(bb.getInt(p));
        if (n > bb.limit() - (long) p - 4) {
            throw error("string of " + n + " bytes running past the end", p);
        }
        byte[] bytes = new byte[(int) n];
        bb.duplicate().position(p + 4).get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static int indirect(ByteBuffer bb, String source, int p) throws CheckpointFormatException {
        if (p < 0 || (long) p + 4 > bb.limit()) {
            throw new CheckpointFormatException(source + ": offset at byte " + p + " is outside the file ("
                    + bb.limit() + " bytes)");
        }
        long target = p + Integer.toUnsignedLong(bb.getInt(p));
        if (target >= bb.limit()) {
            throw new CheckpointFormatException(source + ": offset at byte " + p + " points to byte " + target
                    + ", outside the file (" + bb.limit() + " bytes)");
        }
        return (int) target;
    }

    private int checkRange(int p, int width, String what) throws CheckpointFormatException {
        if (p < 0 || (long) p + width > bb.limit()) {
            throw error(what + " outside the file (" + bb.limit() + " bytes)", p);
        }
        return p;
    }

    private CheckpointFormatException error(String what, int p) {
        return new CheckpointFormatException(source + ": " + what + " at byte " + p);
    }
}
