package io.ortune.graph.onnx;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * Converts the typed storage fields of a {@code TensorProto} ({@code float_data}, {@code int32_data}, ...) into
 * the little-endian {@code raw_data} layout the IR keeps, following the specification's packing rules: narrow
 * integers, bool and 16/8-bit float bit patterns one per {@code int32_data} entry, 4-bit types two per entry
 * (one packed byte), 2-bit types four per entry; UINT32 in {@code uint64_data}; complex as real/imaginary pairs.
 */
final class TypedData {

    private TypedData() {
    }

    /** The raw bytes, or null when no typed field holds data. Throws when the count does not fit the dims. */
    static ByteBuffer toRaw(TensorProto t, DataType dtype, long elements, DecodeContext ctx)
            throws OnnxFormatException {
        String who = "tensor '" + t.getName() + "' (" + dtype.onnxName() + ")";
        switch (dtype) {
            case FLOAT:
            case COMPLEX64: {
                if (t.getFloatDataCount() == 0) {
                    return null;
                }
                long n = dtype == DataType.COMPLEX64 ? 2 * elements : elements;
                expect(ctx, who, "float_data", t.getFloatDataCount(), n);
                ByteBuffer b = allocate(n * 4);
                for (int i = 0; i < n; i++) {
                    b.putFloat(t.getFloatData(i));
                }
                return b.flip();
            }
            case DOUBLE:
            case COMPLEX128: {
                if (t.getDoubleDataCount() == 0) {
                    return null;
                }
                long n = dtype == DataType.COMPLEX128 ? 2 * elements : elements;
                expect(ctx, who, "double_data", t.getDoubleDataCount(), n);
                ByteBuffer b = allocate(n * 8);
                for (int i = 0; i < n; i++) {
                    b.putDouble(t.getDoubleData(i));
                }
                return b.flip();
            }
            case INT64: {
                if (t.getInt64DataCount() == 0) {
                    return null;
                }
                expect(ctx, who, "int64_data", t.getInt64DataCount(), elements);
                ByteBuffer b = allocate(elements * 8);
                for (int i = 0; i < elements; i++) {
                    b.putLong(t.getInt64Data(i));
                }
                return b.flip();
            }
            case UINT32:
            case UINT64: {
                if (t.getUint64DataCount() == 0) {
                    return null;
                }
                expect(ctx, who, "uint64_data", t.getUint64DataCount(), elements);
                ByteBuffer b = allocate(dtype.byteSize(elements));
                for (int i = 0; i < elements; i++) {
                    if (dtype == DataType.UINT32) {
                        b.putInt((int) t.getUint64Data(i));
                    } else {
                        b.putLong(t.getUint64Data(i));
                    }
                }
                return b.flip();
            }
            case STRING:
            case UNDEFINED:
                return null;
            default:
                return fromInt32(t, dtype, elements, ctx, who);
        }
    }

    private static ByteBuffer fromInt32(TensorProto t, DataType dtype, long elements, DecodeContext ctx, String who)
            throws OnnxFormatException {
        if (t.getInt32DataCount() == 0) {
            return null;
        }
        int bits = dtype.bits();
        if (bits == 64 || bits == 128) {
            throw ctx.fail(who + " stores its data in int32_data, which cannot hold " + dtype.onnxName());
        }
        // Sub-byte types: one packed byte per entry.
        long entries = bits >= 8 ? elements : dtype.byteSize(elements);
        expect(ctx, who, "int32_data", t.getInt32DataCount(), entries);
        ByteBuffer b = allocate(dtype.byteSize(elements));
        for (int i = 0; i < entries; i++) {
            int v = t.getInt32Data(i);
            if (bits == 32) {
                b.putInt(v);
            } else if (bits == 16) {
                b.putShort((short) v);
            } else if (dtype == DataType.BOOL) {
                b.put((byte) (v != 0 ? 1 : 0));
            } else {
                b.put((byte) v);
            }
        }
        return b.flip();
    }

    private static void expect(DecodeContext ctx, String who, String field, int count, long expected)
            throws OnnxFormatException {
        if (count != expected) {
            throw ctx.fail(who + " has " + count + " entries in " + field + " but its dims need " + expected);
        }
    }

    private static ByteBuffer allocate(long bytes) {
        return ByteBuffer.allocate(Math.toIntExact(bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }
}
