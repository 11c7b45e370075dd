package io.ortune.tensorrt;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.nio.ByteBuffer;

/** Constant lookups for {@link QdqCheck}: initializers and Constant-node outputs, their values. */
final class QdqTensors {

    private QdqTensors() {
    }

    /** The value's constant tensor (an initializer or a Constant node's {@code value}), or null. */
    static Tensor constant(Value v) {
        if (v == null) {
            return null;
        }
        if (v.isInitializer()) {
            return v.constant();
        }
        Node p = v.producer();
        if (p != null && p.is("Constant") && QdqCheck.isStandard(p)) {
            return p.tensorAttr("value");
        }
        return null;
    }

    /** A constant weight: a constant itself, or a DequantizeLinear of a constant. */
    static boolean isWeight(Value v) {
        if (constant(v) != null) {
            return true;
        }
        Node p = v.producer();
        return p != null && p.is("DequantizeLinear") && constant(p.input(0)) != null;
    }

    static boolean isScalar(Tensor t) {
        return t == null || t.elementCount() == 1;
    }

    static boolean allZero(Tensor t) {
        ByteBuffer b = t.bytes();
        for (int i = 0; i < b.remaining(); i++) {
            if (b.get(b.position() + i) != 0) {
                return false;
            }
        }
        return true;
    }

    /** Every value finite and > 0; only float32 scales are read (other float types pass unread). */
    static boolean allPositive(Tensor t) {
        if (t.dtype() != DataType.FLOAT) {
            return true;
        }
        for (float f : t.toFloats()) {
            if (!(f > 0) || Float.isInfinite(f)) {
                return false;
            }
        }
        return true;
    }
}
