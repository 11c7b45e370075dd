package io.ortune.models.arch;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.GeneratedData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.nio.ShortBuffer;

/**
 * Converts float16 and bfloat16 weights to float32 (exactly: every half and bfloat16 value is a float32 value).
 * The builders work in float32 only; the adapter loader also widens half-precision PEFT adapters with it.
 */
public final class Upcast {

    private Upcast() {
    }

    /** Whether {@code t} can be brought to float32 here. */
    public static boolean convertible(DataType t) {
        return t == DataType.FLOAT || t == DataType.FLOAT16 || t == DataType.BFLOAT16;
    }

    /** Converted tensors above this size are generated on each read ({@link GeneratedData}), not held. */
    static final long GENERATE_ABOVE_BYTES = 16L << 20;

    /**
     * {@code t} itself when float32, else a float32 version with the same name and dims: held on the heap when
     * small, else {@link GeneratedData} converting from {@code t}'s (memory-mapped) bytes on each read, so reading a
     * half-precision checkpoint does not materialise every weight as float32.
     */
    public static Tensor toFloat32(Tensor t) {
        if (t.dtype() == DataType.FLOAT) {
            return t;
        }
        if (!convertible(t.dtype())) {
            throw new IllegalArgumentException("tensor '" + t.name() + "' is " + t.dtype().onnxName()
                    + "; only float32, float16 and bfloat16 weights are supported");
        }
        long bytes = Math.multiplyExact(t.elementCount(), 4L);
        if (bytes > GENERATE_ABOVE_BYTES) {
            return new Tensor(t.name(), DataType.FLOAT, t.dims(), new GeneratedData(bytes, t.dtype().onnxName()
                    + " '" + t.name() + "' as float32", () -> convert(t)));
        }
        return new Tensor(t.name(), DataType.FLOAT, t.dims(), new BufferData(convert(t)));
    }

    private static ByteBuffer convert(Tensor t) {
        int n = Math.toIntExact(t.elementCount());
        ShortBuffer in = t.bytes().order(ByteOrder.LITTLE_ENDIAN).asShortBuffer();
        ByteBuffer out = ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer f = out.asFloatBuffer();
        boolean bf16 = t.dtype() == DataType.BFLOAT16;
        for (int i = 0; i < n; i++) {
            short bits = in.get(i);
            f.put(i, bf16 ? Float.intBitsToFloat((bits & 0xffff) << 16) : halfToFloat(bits));
        }
        return out;
    }

    /** IEEE 754 binary16 to float32. */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp != 0) {
            return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
        }
        float sub = mant * 0x1p-24f;
        return sign == 0 ? sub : -sub;
    }
}
