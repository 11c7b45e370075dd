package io.ortune.graph.ir;

import java.util.HashMap;
import java.util.Map;

/**
 * ONNX tensor element types, with their {@code TensorProto.DataType} codes.
 *
 * <p>{@link #bits()} is the storage width of one element; sub-byte types (int4, uint4, float4, int2, uint2)
 * are packed, low nibble/bits first, as the ONNX specification says.
 */
public enum DataType {
    UNDEFINED(0, 0),
    FLOAT(1, 32),
    UINT8(2, 8),
    INT8(3, 8),
    UINT16(4, 16),
    INT16(5, 16),
    INT32(6, 32),
    INT64(7, 64),
    STRING(8, 0),
    BOOL(9, 8),
    FLOAT16(10, 16),
    DOUBLE(11, 64),
    UINT32(12, 32),
    UINT64(13, 64),
    COMPLEX64(14, 64),
    COMPLEX128(15, 128),
    BFLOAT16(16, 16),
    FLOAT8E4M3FN(17, 8),
    FLOAT8E4M3FNUZ(18, 8),
    FLOAT8E5M2(19, 8),
    FLOAT8E5M2FNUZ(20, 8),
    UINT4(21, 4),
    INT4(22, 4),
    FLOAT4E2M1(23, 4),
    FLOAT8E8M0(24, 8),
    UINT2(25, 2),
    INT2(26, 2);

    private static final Map<Integer, DataType> BY_CODE = new HashMap<>();

    static {
        for (DataType t : values()) {
            BY_CODE.put(t.code, t);
        }
    }

    private final int code;
    private final int bits;

    DataType(int code, int bits) {
        this.code = code;
        this.bits = bits;
    }

    /** The {@code TensorProto.DataType} number. */
    public int onnxCode() {
        return code;
    }

    /** Storage bits per element; 0 for STRING and UNDEFINED. */
    public int bits() {
        return bits;
    }

    /** Bytes needed to store {@code elements} elements (sub-byte types packed, rounded up). */
    public long byteSize(long elements) {
        if (bits == 0) {
            throw new IllegalStateException(this + " has no fixed element size");
        }
        return (elements * bits + 7) / 8;
    }

    public boolean isFloatingPoint() {
        return switch (this) {
            case FLOAT, DOUBLE, FLOAT16, BFLOAT16, FLOAT8E4M3FN, FLOAT8E4M3FNUZ, FLOAT8E5M2, FLOAT8E5M2FNUZ,
                 FLOAT4E2M1, FLOAT8E8M0 -> true;
            default -> false;
        };
    }

    public boolean isInteger() {
        return switch (this) {
            case UINT8, INT8, UINT16, INT16, INT32, INT64, UINT32, UINT64, UINT4, INT4, UINT2, INT2 -> true;
            default -> false;
        };
    }

    /** Lower-case ONNX spelling, as in {@code tensor(float16)}. */
    public String onnxName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }

    /** The type with ONNX code {@code code}; a clear error for codes this version does not know. */
    public static DataType fromOnnx(int code) {
        DataType t = BY_CODE.get(code);
        if (t == null) {
            throw new IllegalArgumentException("unknown ONNX tensor data type code " + code
                    + " (known: 0.." + (values().length - 1) + ")");
        }
        return t;
    }
}
