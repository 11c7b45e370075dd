package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.FLOATING;
import static io.ortune.graph.build.OpContext.tensor;
import static io.ortune.graph.build.QuantChecks.BYTE;
import static io.ortune.graph.build.QuantChecks.QUANTIZED;
import static io.ortune.graph.build.QuantChecks.QUANTIZED_NAMES;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.List;
import java.util.Map;

/**
 * Schema rules for the default-domain quantization ops: {@code QuantizeLinear} and {@code DequantizeLinear}
 * (per-tensor, per-axis from opset 13, blocked from opset 21), {@code DynamicQuantizeLinear} and
 * {@code MatMulInteger}.
 */
final class QuantizeRules {

    private QuantizeRules() {
    }

    static void register(Map<String, OpRule> rules) {
        rules.put("QuantizeLinear", QuantizeRules::quantize);
        rules.put("DequantizeLinear", QuantizeRules::dequantize);
        rules.put("DynamicQuantizeLinear", QuantizeRules::dynamicQuantize);
        rules.put("MatMulInteger", QuantizeRules::matMulInteger);
    }

    private static List<ValueType> quantize(OpContext c) {
        c.arity(2, 3);
        c.outputs(1, 1);
        c.requireDtype(0, d -> d.isFloatingPoint() || d == DataType.INT32, "a floating-point type or int32");
        c.requireDtype(1, FLOATING, "a floating-point type");
        DataType zeroPoint = c.dtype(2);
        DataType out = zeroPoint;
        long code = c.intAttr("output_dtype", 0);
        if (code != 0) {
            if (c.opset() < 21) {
                throw c.fail("attribute 'output_dtype' needs opset 21, the model has " + c.opset());
            }
            DataType declared = DataType.fromOnnx((int) code);
            if (zeroPoint != null && zeroPoint != declared) {
                throw c.fail("attribute 'output_dtype' is " + declared.onnxName() + " but input 2 (y_zero_point) is "
                        + zeroPoint.onnxName());
            }
            out = declared;
        }
        if (out == null && !c.present(2)) {
            out = DataType.UINT8;
        }
        if (out != null && !QUANTIZED.test(out)) {
            throw c.fail("the quantized type is " + out.onnxName() + ", expected " + QUANTIZED_NAMES);
        }
        if (c.attr("saturate") != null && c.opset() < 19) {
            throw c.fail("attribute 'saturate' needs opset 19, the model has " + c.opset());
        }
        scaleLayout(c, "y_scale", "y_zero_point");
        return c.result(tensor(out, c.shape(0)));
    }

    private static List<ValueType> dequantize(OpContext c) {
        c.arity(2, 3);
        c.outputs(1, 1);
        c.requireDtype(0, d -> QUANTIZED.test(d) || d == DataType.INT32, QUANTIZED_NAMES + " or int32");
        c.requireDtype(1, FLOATING, "a floating-point type");
        if (c.present(2)) {
            c.sameDtype(0, 2);
        }
        scaleLayout(c, "x_scale", "x_zero_point");
        DataType out = c.opset() < 19 ? DataType.FLOAT : c.dtype(1);
        return c.result(tensor(out, c.shape(0)));
    }

    /**
     * Checks the scale (input 1) and zero point (input 2) against x (input 0): a scalar or {@code [1]} for
     * per-tensor, 1-D of x's size along {@code axis} for per-axis, x's rank with {@code ceil(size / block_size)}
     * along {@code axis} for blocked.
     */
    private static void scaleLayout(OpContext c, String scaleName, String zeroName) {
        Shape x = c.shape(0);
        Shape s = c.shape(1);
        long block = c.intAttr("block_size", 0);
        long axis = c.intAttr("axis", 1);
        if (block < 0) {
            throw c.fail("attribute 'block_size' must be >= 0, is " + block);
        }
        if (block > 0) {
            if (c.opset() < 21) {
                throw c.fail("blocked quantization (attribute 'block_size') needs opset 21, the model has "
                        + c.opset());
            }
            if (x.hasRank() && s.hasRank()) {
                if (s.rank() != x.rank()) {
                    throw c.fail("blocked quantization needs input 1 (" + scaleName + ") of x's rank " + x.rank()
                            + ", it has shape " + s);
                }
                int ax = c.axis(axis, x.rank(), "axis");
                for (int k = 0; k < x.rank(); k++) {
                    Dim xd = x.dim(k);
                    Dim expected = k == ax && xd.isKnown() ? Dim.of(QuantChecks.ceilDiv(Dims.known(xd), block)) : xd;
                    if (Dims.conflict(s.dim(k), expected)) {
                        throw c.fail("input 1 (" + scaleName + ") has shape " + s + "; blocked quantization of x "
                                + x + " along axis " + ax + " with block_size " + block + " needs " + expected
                                + " at dimension " + k);
                    }
                }
            }
        } else if (s.hasRank() && !perTensor(s)) {
            if (s.rank() != 1) {
                throw c.fail("input 1 (" + scaleName + ") must be a scalar (per-tensor) or 1-D (per-axis), has shape "
                        + s);
            }
            if (c.opset() < 13) {
                throw c.fail("per-axis quantization (input 1 (" + scaleName + ") of shape " + s + ") needs opset 13,"
                        + " the model has " + c.opset());
            }
            if (x.hasRank()) {
                int ax = c.axis(axis, x.rank(), "axis");
                if (Dims.conflict(s.dim(0), x.dim(ax))) {
                    throw c.fail("input 1 (" + scaleName + ") has " + s.dim(0) + " elements but x " + x + " has "
                            + x.dim(ax) + " along axis " + ax);
                }
            }
        }
        Shape z = c.shape(2);
        if (c.present(2) && z.hasRank() && s.hasRank() && !(perTensor(z) && perTensor(s))) {
            boolean same = z.rank() == s.rank();
            for (int k = 0; same && k < z.rank(); k++) {
                same = !Dims.conflict(z.dim(k), s.dim(k));
            }
            if (!same) {
                throw c.fail("input 2 (" + zeroName + ") has shape " + z + " but input 1 (" + scaleName + ") has "
                        + s + "; they must match");
            }
        }
    }

    private static boolean perTensor(Shape s) {
        return s.rank() == 0 || (s.rank() == 1 && Dims.isOne(s.dim(0)));
    }

    private static List<ValueType> dynamicQuantize(OpContext c) {
        c.arity(1, 1);
        c.outputs(3, 3);
        c.requireDtype(0, DataType.FLOAT);
        return c.result(tensor(DataType.UINT8, c.shape(0)), tensor(DataType.FLOAT, Shape.SCALAR),
                tensor(DataType.UINT8, Shape.SCALAR));
    }

    private static List<ValueType> matMulInteger(OpContext c) {
        c.arity(2, 4);
        c.outputs(1, 1);
        c.requireDtype(0, BYTE, "int8 or uint8");
        c.requireDtype(1, BYTE, "int8 or uint8");
        Shape a = c.shape(0);
        Shape b = c.shape(1);
        Shape out = LinearRules.matMulShape(c, a, b);
        if (c.present(2)) {
            c.sameDtype(0, 2);
            zeroPointLength(c, 2, "a_zero_point", a.hasRank() && a.rank() >= 2 ? a.dim(a.rank() - 2) : null, "row");
        }
        if (c.present(3)) {
            c.sameDtype(1, 3);
            zeroPointLength(c, 3, "b_zero_point", b.hasRank() && b.rank() >= 2 ? b.dim(b.rank() - 1) : null,
                    "column");
        }
        return c.result(tensor(DataType.INT32, out));
    }

    /** A zero point is a scalar (per tensor) or 1-D with one value per row of A / column of B. */
    private static void zeroPointLength(OpContext c, int i, String what, Dim count, String per) {
        Shape z = c.shape(i);
        if (!z.hasRank() || z.rank() == 0 || z.rank() > 1) {
            return;
        }
        if (count != null && !Dims.isOne(z.dim(0)) && Dims.conflict(z.dim(0), count)) {
            throw c.fail(c.describe(i) + " (" + what + ") has " + z.dim(0) + " elements, expected 1 or one per "
                    + per + " (" + count + ")");
        }
    }
}
