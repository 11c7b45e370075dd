package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.tensor;
import static io.ortune.graph.build.QuantChecks.ACTIVATION;
import static io.ortune.graph.build.QuantChecks.ACTIVATION_NAMES;
import static io.ortune.graph.build.QuantChecks.BYTE;
import static io.ortune.graph.build.QuantChecks.ceilDiv;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.List;
import java.util.Map;

/**
 * Schema rules for the {@code com.microsoft} quantized matmuls ONNX Runtime runs: {@code MatMulBnb4} (NF4/FP4,
 * QLoRA's frozen base weights), {@code MatMulNBits} (2–8-bit blockwise) and {@code DynamicQuantizeMatMul}.
 */
final class MicrosoftRules {

    private MicrosoftRules() {
    }

    static void register(Map<String, OpRule> rules) {
        rules.put("MatMulBnb4", MicrosoftRules::matMulBnb4);
        rules.put("MatMulNBits", MicrosoftRules::matMulNBits);
        rules.put("DynamicQuantizeMatMul", MicrosoftRules::dynamicQuantizeMatMul);
    }

    /** Y[..., N] = A[..., K] · deq(B)ᵀ with B the N·K 4-bit codes packed two per byte, absmax one per block. */
    private static List<ValueType> matMulBnb4(OpContext c) {
        c.arity(3, 3);
        c.outputs(1, 1);
        c.requireDtype(0, ACTIVATION, ACTIVATION_NAMES);
        c.requireDtype(1, DataType.UINT8);
        DataType t = c.sameDtype(0, 2);
        long k = QuantChecks.positiveAttr(c, "K");
        long n = QuantChecks.positiveAttr(c, "N");
        long block = QuantChecks.blockSize(c, c.requiredIntAttr("block_size"));
        long quant = c.requiredIntAttr("quant_type");
        if (quant != 0 && quant != 1) {
            throw c.fail("attribute 'quant_type' must be 0 (FP4) or 1 (NF4), is " + quant);
        }
        QuantChecks.flag(c, "transB", 1);
        QuantChecks.flag(c, "training_mode", 0);
        long codes = n * k;
        QuantChecks.requireShape(c, 1, "B, packed 4-bit codes", "ceil(N*K/2) bytes for N=" + n + ", K=" + k,
                Shape.ofLongs(ceilDiv(codes, 2)));
        QuantChecks.requireShape(c, 2, "absmax", "one per block: ceil(N*K/block_size) for N=" + n + ", K=" + k
                + ", block_size=" + block, Shape.ofLongs(ceilDiv(codes, block)));
        return c.result(tensor(t, QuantChecks.lastDimKtoN(c, k, n)));
    }

    /** Y[..., N] = A[..., K] · deq(B)ᵀ with B [N, k_blocks, blob_size], scales per block, optional zero points. */
    private static List<ValueType> matMulNBits(OpContext c) {
        c.arity(3, 6);
        c.outputs(1, 1);
        c.requireDtype(0, ACTIVATION, ACTIVATION_NAMES);
        c.requireDtype(1, d -> d == DataType.UINT8 || d == DataType.INT32, "uint8 or int32");
        DataType t = c.sameDtype(0, 2);
        long k = QuantChecks.positiveAttr(c, "K");
        long n = QuantChecks.positiveAttr(c, "N");
        long bits = c.intAttr("bits", 4);
        if (bits < 2 || bits > 8) {
            throw c.fail("attribute 'bits' must be 2 to 8, is " + bits);
        }
        long block = QuantChecks.blockSize(c, c.requiredIntAttr("block_size"));
        long blocks = ceilDiv(k, block);
        String layout = "N=" + n + ", K=" + k + ", block_size=" + block + ", bits=" + bits;
        if (c.dtype(1) == DataType.UINT8) {
            QuantChecks.requireShape(c, 1, "B", "[N, ceil(K/block_size), block_size*bits/8] for " + layout,
                    Shape.ofLongs(n, blocks, block * bits / 8));
        }
        QuantChecks.requireShape(c, 2, "scales", "one per block for " + layout, Shape.ofLongs(n * blocks),
                Shape.ofLongs(n, blocks));
        if (c.present(3)) {
            DataType z = c.dtype(3);
            if (z == DataType.UINT8) {
                long packed = ceilDiv(blocks * bits, 8);
                QuantChecks.requireShape(c, 3, "zero_points, packed", "ceil(k_blocks*bits/8) bytes per row for "
                        + layout, Shape.ofLongs(n * packed), Shape.ofLongs(n, packed));
            } else if (z != null && z != t && t != null) {
                throw c.fail(c.describe(3) + " (zero_points) is " + z.onnxName() + ", expected uint8 or "
                        + t.onnxName() + " like the scales");
            } else {
                QuantChecks.requireShape(c, 3, "zero_points", "one per block for " + layout,
                        Shape.ofLongs(n * blocks), Shape.ofLongs(n, blocks));
            }
        }
        if (c.present(4)) {
            c.requireDtype(4, DataType.INT32);
            QuantChecks.requireShape(c, 4, "g_idx", "one group index per input channel, K=" + k, Shape.ofLongs(k));
        }
        if (c.present(5)) {
            c.sameDtype(0, 5);
            QuantChecks.requireShape(c, 5, "bias", "one per output, N=" + n, Shape.ofLongs(n));
        }
        return c.result(tensor(t, QuantChecks.lastDimKtoN(c, k, n)));
    }

    /** Y = A · ((B - b_zero_point) · b_scale) + bias, A float, B int8/uint8 quantized per tensor or per column. */
    private static List<ValueType> dynamicQuantizeMatMul(OpContext c) {
        c.arity(3, 5);
        c.outputs(1, 1);
        c.requireDtype(0, DataType.FLOAT);
        c.requireDtype(1, BYTE, "int8 or uint8");
        c.requireDtype(2, DataType.FLOAT);
        Shape b = c.shape(1);
        Shape out = LinearRules.matMulShape(c, c.shape(0), b);
        Dim cols = b.hasRank() && b.rank() >= 1 ? b.dim(b.rank() - 1) : Dim.UNKNOWN;
        QuantChecks.requireShape(c, 2, "b_scale", "per tensor or one per column of B", Shape.SCALAR,
                Shape.ofLongs(1), new Shape(List.of(cols)));
        if (c.present(3)) {
            c.sameDtype(1, 3);
            QuantChecks.requireShape(c, 3, "b_zero_point", "like b_scale", Shape.SCALAR, Shape.ofLongs(1),
                    new Shape(List.of(cols)));
        }
        if (c.present(4)) {
            c.requireDtype(4, DataType.FLOAT);
            QuantChecks.requireShape(c, 4, "bias", "one per column of B", new Shape(List.of(cols)));
        }
        return c.result(tensor(DataType.FLOAT, out));
    }
}
