package io.ortune.graph.build;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/** Checks shared by the quantization rules ({@link QuantizeRules}, {@link MicrosoftRules}). */
final class QuantChecks {

    /** The activation types ONNX Runtime's quantized matmuls take. */
    static final Predicate<DataType> ACTIVATION =
            d -> d == DataType.FLOAT || d == DataType.FLOAT16 || d == DataType.BFLOAT16;
    static final String ACTIVATION_NAMES = "float, float16 or bfloat16";
    static final Predicate<DataType> BYTE = d -> d == DataType.INT8 || d == DataType.UINT8;
    /** Quantized element types: integers of at most 16 bits and the float8 types. */
    static final Predicate<DataType> QUANTIZED = d -> (d.isInteger() && d.bits() <= 16)
            || (d.isFloatingPoint() && d.bits() == 8);
    static final String QUANTIZED_NAMES = "an integer of at most 16 bits or a float8 type";

    private QuantChecks() {
    }

    /** A required int attribute that must be positive. */
    static long positiveAttr(OpContext c, String name) {
        long v = c.requiredIntAttr(name);
        if (v <= 0) {
            throw c.fail("attribute '" + name + "' must be positive, is " + v);
        }
        return v;
    }

    /** A block size attribute: a power of two, at least 16. */
    static long blockSize(OpContext c, long v) {
        if (v < 16 || Long.bitCount(v) != 1) {
            throw c.fail("attribute 'block_size' must be a power of 2 and at least 16, is " + v);
        }
        return v;
    }

    /** Fails unless an int attribute, when given, is 0 or 1. */
    static void flag(OpContext c, String name, long defaultValue) {
        long v = c.intAttr(name, defaultValue);
        if (v != 0 && v != 1) {
            throw c.fail("attribute '" + name + "' must be 0 or 1, is " + v);
        }
    }

    static long ceilDiv(long a, long b) {
        return (a + b - 1) / b;
    }

    /** The number of elements, or -1 when not all dims are known. */
    static long numel(Shape s) {
        if (!s.hasRank()) {
            return -1;
        }
        long n = 1;
        for (Dim d : s.dims()) {
            if (!d.isKnown()) {
                return -1;
            }
            n *= Dims.known(d);
        }
        return n;
    }

    /** Fails when input {@code i}'s known shape is not one of {@code allowed} (unknown dims match anything). */
    static void requireShape(OpContext c, int i, String what, String why, Shape... allowed) {
        Shape s = c.shape(i);
        if (!s.hasRank()) {
            return;
        }
        for (Shape a : allowed) {
            if (fits(s, a)) {
                return;
            }
        }
        List<String> names = new ArrayList<>();
        for (Shape a : allowed) {
            names.add(a.toString());
        }
        throw c.fail(c.describe(i) + " (" + what + ") has shape " + s + ", expected " + String.join(" or ", names)
                + " (" + why + ")");
    }

    private static boolean fits(Shape s, Shape expected) {
        if (s.rank() != expected.rank()) {
            return false;
        }
        for (int k = 0; k < s.rank(); k++) {
            if (Dims.conflict(s.dim(k), expected.dim(k))) {
                return false;
            }
        }
        return true;
    }

    /** The activation's shape with its last dim checked against {@code k} and replaced by {@code n}. */
    static Shape lastDimKtoN(OpContext c, long k, long n) {
        Shape a = c.shape(0);
        if (!a.hasRank()) {
            return Shape.UNKNOWN_RANK;
        }
        if (a.rank() == 0) {
            throw c.fail(c.describe(0) + " (A) must have rank >= 1, is a scalar");
        }
        Dim last = a.dim(a.rank() - 1);
        if (Dims.conflict(last, Dim.of(k))) {
            throw c.fail(c.describe(0) + " (A) has shape " + a + ": its last dimension must be K=" + k);
        }
        List<Dim> out = new ArrayList<>(a.dims().subList(0, a.rank() - 1));
        out.add(Dim.of(n));
        return new Shape(out);
    }
}
