package io.ortune.graph.build;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Scalar tensors of a given element type, for constants that must match an operand's dtype. */
final class Scalars {

    private Scalars() {
    }

    static Tensor of(String name, DataType dtype, double v) {
        long[] scalar = new long[0];
        switch (dtype) {
            case FLOAT:
                return Tensor.scalarFloat(name, (float) v);
            case DOUBLE:
                return Tensor.ofDoubles(name, scalar, v);
            case INT64:
                return Tensor.scalarLong(name, (long) v);
            case INT32:
                return Tensor.ofInts(name, scalar, (int) v);
            case BOOL:
                return Tensor.ofBooleans(name, scalar, v != 0);
            case FLOAT16:
                return ofShort(name, dtype, floatToHalf((float) v));
            case BFLOAT16:
                return ofShort(name, dtype, floatToBfloat16((float) v));
            default:
                throw new IllegalArgumentException("no scalar constant of type " + dtype.onnxName()
                        + " (supported: float, double, float16, bfloat16, int32, int64, bool)");
        }
    }

    private static Tensor ofShort(String name, DataType dtype, short bits) {
        byte[] b = ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort(bits).array();
        return Tensor.ofBytes(name, dtype, new long[0], b);
    }

    /** IEEE half precision, rounding to nearest even. */
    static short floatToHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int abs = x & 0x7fffffff;
        if (abs > 0x7f800000) {
            return (short) (sign | 0x7e00);
        }
        if (abs >= 0x477ff000) {
            return (short) (sign | 0x7c00);
        }
        if (abs >= 0x38800000) {
            int h = (((abs >>> 23) - 112) << 10) | ((abs & 0x7fffff) >>> 13);
            int rem = abs & 0x1fff;
            if (rem > 0x1000 || rem == 0x1000 && (h & 1) == 1) {
                h++;
            }
            return (short) (sign | h);
        }
        int sub = (int) Math.rint(Float.intBitsToFloat(abs) * 16777216f);
        return (short) (sign | sub);
    }

    /** bfloat16, rounding to nearest even. */
    static short floatToBfloat16(float f) {
        int x = Float.floatToRawIntBits(f);
        if ((x & 0x7fffffff) > 0x7f800000) {
            return (short) ((x >>> 16) | 0x40);
        }
        return (short) ((x + 0x7fff + ((x >>> 16) & 1)) >>> 16);
    }
}
