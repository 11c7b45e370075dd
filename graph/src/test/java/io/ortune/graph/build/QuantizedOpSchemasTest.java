package io.ortune.graph.build;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.validate.ModelValidator;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Quantization and com.microsoft ops are checked and typed when built, with messages naming what is wrong. */
class QuantizedOpSchemasTest {

    private static final String MS = OpSchemas.MICROSOFT;

    private static Attribute.IntAttr i(String name, long v) {
        return new Attribute.IntAttr(name, v);
    }

    private static List<Value> in(Value... v) {
        return Arrays.asList(v);
    }

    // ---- MatMulBnb4 --------------------------------------------------------------------------------------------

    /** K=128, N=64, block 64: 8192 codes, 4096 packed bytes, 128 absmax values. */
    private static Value bnb4(GraphBuilder b, Value a, long packed, long absmax, Attribute... attrs) {
        Value w = b.input("w", DataType.UINT8, packed);
        Value s = b.input("absmax", DataType.FLOAT, absmax);
        return b.op(MS, "MatMulBnb4", in(a, w, s), attrs);
    }

    private static Attribute[] bnb4Attrs() {
        return new Attribute[] {i("K", 128), i("N", 64), i("block_size", 64), i("quant_type", 1)};
    }

    @Test
    void matMulBnb4InfersTheOutputShapeAndImportsTheDomain() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, "batch", "seq", 128);
        Value y = bnb4(b, a, 4096, 128, bnb4Attrs());
        assertThat(y.type()).isEqualTo(ValueType.tensor(DataType.FLOAT, Shape.of("batch", "seq", 64)));
        assertThat(b.model().opsetImports()).containsEntry(MS, 1L);
    }

    @Test
    void matMulBnb4WrongPackedLength() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 128);
        assertThatThrownBy(() -> bnb4(b, a, 8192, 128, bnb4Attrs())).isInstanceOf(OpCheckException.class)
                .hasMessage("com.microsoft:MatMulBnb4 '/MatMulBnb4': input 1 'w' (B, packed 4-bit codes) has shape "
                        + "[8192], expected [4096] (ceil(N*K/2) bytes for N=64, K=128)");
    }

    @Test
    void matMulBnb4WrongAbsmaxLength() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 128);
        assertThatThrownBy(() -> bnb4(b, a, 4096, 64, bnb4Attrs()))
                .hasMessage("com.microsoft:MatMulBnb4 '/MatMulBnb4': input 2 'absmax' (absmax) has shape [64], "
                        + "expected [128] (one per block: ceil(N*K/block_size) for N=64, K=128, block_size=64)");
    }

    @Test
    void matMulBnb4ActivationWidthMustBeK() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 100);
        assertThatThrownBy(() -> bnb4(b, a, 4096, 128, bnb4Attrs()))
                .hasMessage("com.microsoft:MatMulBnb4 '/MatMulBnb4': input 0 'a' (A) has shape [2,100]: its last "
                        + "dimension must be K=128");
    }

    @Test
    void matMulBnb4Attributes() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 128);
        assertThatThrownBy(() -> bnb4(b, a, 4096, 128, i("K", 128), i("N", 64), i("block_size", 64)))
                .hasMessageEndingWith("attribute 'quant_type' is required");
        GraphBuilder b2 = GraphBuilder.create("g");
        Value a2 = b2.input("a", DataType.FLOAT, 2, 128);
        assertThatThrownBy(() -> bnb4(b2, a2, 4096, 128, i("K", 128), i("N", 64), i("block_size", 48),
                i("quant_type", 1))).hasMessageEndingWith("attribute 'block_size' must be a power of 2 and at least 16,"
                + " is 48");
        GraphBuilder b3 = GraphBuilder.create("g");
        Value a3 = b3.input("a", DataType.FLOAT, 2, 128);
        assertThatThrownBy(() -> bnb4(b3, a3, 4096, 128, i("K", 128), i("N", 64), i("block_size", 64),
                i("quant_type", 2))).hasMessageEndingWith("attribute 'quant_type' must be 0 (FP4) or 1 (NF4), is 2");
    }

    @Test
    void matMulBnb4DtypesOfWeightsAndAbsmax() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 128);
        Value w = b.input("w", DataType.INT8, 4096);
        Value s = b.input("absmax", DataType.FLOAT, 128);
        assertThatThrownBy(() -> b.op(MS, "MatMulBnb4", in(a, w, s), bnb4Attrs()))
                .hasMessageEndingWith("input 1 'w' is int8, expected uint8");
        Value w8 = b.input("w8", DataType.UINT8, 4096);
        Value s16 = b.input("s16", DataType.FLOAT16, 128);
        assertThatThrownBy(() -> b.op(MS, "MatMulBnb4", in(a, w8, s16), bnb4Attrs()))
                .hasMessageEndingWith("input dtypes differ: input 0 is float, input 2 is float16");
    }

    @Test
    void validatorChecksAnExistingMicrosoftNode() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 128);
        Value y = bnb4(b, a, 4096, 128, bnb4Attrs());
        b.output(y, "y");
        Model m = b.model();
        Node n = m.graph().nodes().get(0);
        n.setAttribute(i("N", 32));
        assertThat(ModelValidator.validate(m).toString())
                .contains("expected [2048] (ceil(N*K/2) bytes for N=32, K=128)");
    }

    // ---- MatMulNBits -------------------------------------------------------------------------------------------

    @Test
    void matMulNBitsShapes() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 3, 256);
        // K=256, N=32, 4 bits, block 32: 8 blocks per row of 16 bytes.
        Value w = b.input("w", DataType.UINT8, 32, 8, 16);
        Value s = b.input("scales", DataType.FLOAT, 256);
        Value zp = b.input("zp", DataType.UINT8, 32, 4);
        Value bias = b.input("bias", DataType.FLOAT, 32);
        Attribute[] attrs = {i("K", 256), i("N", 32), i("bits", 4), i("block_size", 32)};
        Value y = b.op(MS, "MatMulNBits", in(a, w, s, zp, null, bias), attrs);
        assertThat(y.shape()).isEqualTo(Shape.of(3, 32));

        Value wBad = b.input("w_bad", DataType.UINT8, 32, 8, 8);
        assertThatThrownBy(() -> b.op(MS, "MatMulNBits", in(a, wBad, s), attrs))
                .hasMessageEndingWith("input 1 'w_bad' (B) has shape [32,8,8], expected [32,8,16] "
                        + "([N, ceil(K/block_size), block_size*bits/8] for N=32, K=256, block_size=32, bits=4)");
        Value sBad = b.input("s_bad", DataType.FLOAT, 32, 4);
        assertThatThrownBy(() -> b.op(MS, "MatMulNBits", in(a, w, sBad), attrs))
                .hasMessageEndingWith("input 2 's_bad' (scales) has shape [32,4], expected [256] or [32,8] (one per "
                        + "block for N=32, K=256, block_size=32, bits=4)");
        Value gBad = b.input("g_bad", DataType.INT64, 256);
        assertThatThrownBy(() -> b.op(MS, "MatMulNBits", in(a, w, s, null, gBad), attrs))
                .hasMessageEndingWith("input 4 'g_bad' is int64, expected int32");
        assertThatThrownBy(() -> b.op(MS, "MatMulNBits", in(a, w, s), i("K", 256), i("N", 32), i("bits", 9),
                i("block_size", 32))).hasMessageEndingWith("attribute 'bits' must be 2 to 8, is 9");
    }

    // ---- QuantizeLinear / DequantizeLinear ---------------------------------------------------------------------

    @Test
    void quantizeLinearPerTensorDefaultsToUint8AndFollowsTheZeroPoint() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4, 8);
        Value s = b.constFloats(0.1f);
        Value q = b.op("", "QuantizeLinear", in(x, s));
        assertThat(q.type()).isEqualTo(ValueType.tensor(DataType.UINT8, Shape.of(4, 8)));
        Value zp = b.input("zp", DataType.INT8);
        Value q8 = b.op("", "QuantizeLinear", in(x, b.input("s", DataType.FLOAT), zp));
        assertThat(q8.dtype()).isEqualTo(DataType.INT8);
        Value back = b.op("", "DequantizeLinear", in(q8, b.input("s2", DataType.FLOAT), zp));
        assertThat(back.type()).isEqualTo(ValueType.tensor(DataType.FLOAT, Shape.of(4, 8)));
    }

    @Test
    void perAxisScaleMustMatchTheAxis() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 4, 8);
        Value s8 = b.input("s8", DataType.FLOAT, 8);
        assertThat(b.op("", "QuantizeLinear", in(x, s8, b.input("z8", DataType.INT8, 8)), i("axis", 1)).shape())
                .isEqualTo(Shape.of(4, 8));
        assertThatThrownBy(() -> b.op("", "QuantizeLinear", in(x, s8), i("axis", 0)))
                .hasMessage("QuantizeLinear '/QuantizeLinear_1': input 1 (y_scale) has 8 elements but x [4,8] has 4 "
                        + "along axis 0");
        Value z4 = b.input("z4", DataType.INT8, 4);
        assertThatThrownBy(() -> b.op("", "QuantizeLinear", in(x, s8, z4)))
                .hasMessageEndingWith("input 2 (y_zero_point) has shape [4] but input 1 (y_scale) has [8]; they must "
                        + "match");
        Value s2d = b.input("s2d", DataType.FLOAT, 4, 8);
        assertThatThrownBy(() -> b.op("", "DequantizeLinear", in(b.input("q", DataType.INT8, 4, 8), s2d)))
                .hasMessageEndingWith("input 1 (x_scale) must be a scalar (per-tensor) or 1-D (per-axis), has shape "
                        + "[4,8]");
    }

    @Test
    void perAxisNeedsOpset13AndBlockedNeedsOpset21() {
        GraphBuilder b13 = GraphBuilder.create("g", 13);
        Value x = b13.input("x", DataType.FLOAT, 4, 8);
        b13.output(b13.op("", "QuantizeLinear", in(x, b13.input("s", DataType.FLOAT, 8))), "q");
        Model old = b13.model();
        old.opsetImports().put("", 11L);
        assertThat(ModelValidator.validate(old).toString())
                .contains("per-axis quantization (input 1 (y_scale) of shape [8]) needs opset 13, the model has 11");
        GraphBuilder b17 = GraphBuilder.create("g", 17);
        Value x17 = b17.input("x", DataType.FLOAT, 4, 64);
        assertThatThrownBy(() -> b17.op("", "QuantizeLinear", in(x17, b17.input("s", DataType.FLOAT, 4, 2)),
                i("block_size", 32))).hasMessageEndingWith("blocked quantization (attribute 'block_size') needs opset "
                + "21, the model has 17");
        GraphBuilder b21 = GraphBuilder.create("g", 21);
        Value x21 = b21.input("x", DataType.FLOAT, 4, 64);
        assertThat(b21.op("", "QuantizeLinear", in(x21, b21.input("s", DataType.FLOAT, 4, 2)), i("axis", 1),
                i("block_size", 32)).shape()).isEqualTo(Shape.of(4, 64));
        assertThatThrownBy(() -> b21.op("", "QuantizeLinear", in(x21, b21.input("s3", DataType.FLOAT, 4, 3)),
                i("axis", 1), i("block_size", 32))).hasMessageEndingWith("input 1 (y_scale) has shape [4,3]; blocked "
                + "quantization of x [4,64] along axis 1 with block_size 32 needs 2 at dimension 1");
    }

    @Test
    void quantizeOutputDtypeMustAgreeWithTheZeroPoint() {
        GraphBuilder b = GraphBuilder.create("g", 21);
        Value x = b.input("x", DataType.FLOAT, 4);
        Value s = b.input("s", DataType.FLOAT);
        Value zp = b.input("zp", DataType.UINT8);
        assertThatThrownBy(() -> b.op("", "QuantizeLinear", in(x, s, zp), i("output_dtype", DataType.INT8.onnxCode())))
                .hasMessageEndingWith("attribute 'output_dtype' is int8 but input 2 (y_zero_point) is uint8");
        assertThat(b.op("", "QuantizeLinear", in(x, s), i("output_dtype", DataType.INT4.onnxCode())).dtype())
                .isEqualTo(DataType.INT4);
        Value zf = b.input("zf", DataType.FLOAT);
        assertThatThrownBy(() -> b.op("", "QuantizeLinear", in(x, s, zf)))
                .hasMessageEndingWith("the quantized type is float, expected an integer of at most 16 bits or a float8 "
                        + "type");
    }

    @Test
    void dequantizeZeroPointDtypeMustMatchX() {
        GraphBuilder b = GraphBuilder.create("g");
        Value q = b.input("q", DataType.UINT8, 4);
        assertThatThrownBy(() -> b.op("", "DequantizeLinear", in(q, b.input("s", DataType.FLOAT),
                b.input("zp", DataType.INT8)))).hasMessageEndingWith("input dtypes differ: input 0 is uint8, input 2 "
                + "is int8");
        assertThatThrownBy(() -> b.op("", "DequantizeLinear", in(b.input("f", DataType.FLOAT, 4),
                b.input("s2", DataType.FLOAT)))).hasMessageEndingWith("input 0 'f' is float, expected an integer of "
                + "at most 16 bits or a float8 type or int32");
    }

    // ---- DynamicQuantizeLinear, MatMulInteger, DynamicQuantizeMatMul -------------------------------------------

    @Test
    void dynamicQuantizeLinearHasThreeOutputs() {
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, "n", 16);
        List<Value> out = b.op("", "DynamicQuantizeLinear", in(x), 3);
        assertThat(out.get(0).type()).isEqualTo(ValueType.tensor(DataType.UINT8, Shape.of("n", 16)));
        assertThat(out.get(1).type()).isEqualTo(ValueType.tensor(DataType.FLOAT, Shape.SCALAR));
        assertThat(out.get(2).type()).isEqualTo(ValueType.tensor(DataType.UINT8, Shape.SCALAR));
        assertThatThrownBy(() -> b.op("", "DynamicQuantizeLinear", in(x), 1))
                .hasMessageEndingWith("expected 3 outputs, has 1");
        assertThatThrownBy(() -> b.op("", "DynamicQuantizeLinear", in(b.input("d", DataType.DOUBLE, 2)), 3))
                .hasMessageEndingWith("input 0 'd' is double, expected float");
    }

    @Test
    void matMulIntegerGivesInt32AndChecksZeroPoints() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.UINT8, 2, 3, 8);
        Value w = b.input("w", DataType.INT8, 8, 5);
        Value y = b.op("", "MatMulInteger", in(a, w, b.input("za", DataType.UINT8), b.input("zb", DataType.INT8, 5)));
        assertThat(y.type()).isEqualTo(ValueType.tensor(DataType.INT32, Shape.of(2, 3, 5)));
        assertThatThrownBy(() -> b.op("", "MatMulInteger", in(a, w, null, b.input("zb4", DataType.INT8, 4))))
                .hasMessageEndingWith("input 3 'zb4' (b_zero_point) has 4 elements, expected 1 or one per column (5)");
        assertThatThrownBy(() -> b.op("", "MatMulInteger", in(a, b.input("w7", DataType.INT8, 7, 5))))
                .hasMessageEndingWith("inner dimensions differ: [2,3,8] x [7,5] (8 vs 7)");
        assertThatThrownBy(() -> b.op("", "MatMulInteger", in(b.input("f", DataType.FLOAT, 2, 8), w)))
                .hasMessageEndingWith("input 0 'f' is float, expected int8 or uint8");
    }

    @Test
    void dynamicQuantizeMatMulScalePerColumn() {
        GraphBuilder b = GraphBuilder.create("g");
        Value a = b.input("a", DataType.FLOAT, 2, 8);
        Value w = b.input("w", DataType.INT8, 8, 5);
        Value y = b.op(MS, "DynamicQuantizeMatMul", in(a, w, b.input("s", DataType.FLOAT, 5)));
        assertThat(y.type()).isEqualTo(ValueType.tensor(DataType.FLOAT, Shape.of(2, 5)));
        assertThatThrownBy(() -> b.op(MS, "DynamicQuantizeMatMul", in(a, w, b.input("s3", DataType.FLOAT, 3))))
                .hasMessageEndingWith("input 2 's3' (b_scale) has shape [3], expected [] or [1] or [5] (per tensor or "
                        + "one per column of B)");
    }

    // ---- registration ------------------------------------------------------------------------------------------

    @Test
    void passesRegisterRulesForTheirOwnOps() {
        // Rules are global: a domain of its own keeps this test repeatable in one JVM.
        String domain = "test.ortune" + System.nanoTime();
        OpSchemas.register(domain, "Twice", c -> {
            c.arity(1, 1);
            c.requireDtype(0, DataType.FLOAT);
            return c.result(OpContext.tensor(c.dtype(0), c.shape(0)));
        });
        assertThat(OpSchemas.knows(domain, "Twice")).isTrue();
        assertThat(OpSchemas.knownOps(domain)).containsExactly("Twice");
        GraphBuilder b = GraphBuilder.create("g");
        Value x = b.input("x", DataType.FLOAT, 3);
        assertThat(b.op(domain, "Twice", in(x)).shape()).isEqualTo(Shape.of(3));
        assertThatThrownBy(() -> b.op(domain, "Twice", in(b.input("n", DataType.INT64, 3))))
                .hasMessage(domain + ":Twice '/Twice_1': input 0 'n' is int64, expected float");
        assertThatThrownBy(() -> OpSchemas.register(domain, "Twice", c -> c.result()))
                .hasMessage("op " + domain + ":Twice already has a schema rule");
        assertThatThrownBy(() -> OpSchemas.register("ai.onnx", "MatMul", c -> c.result()))
                .hasMessage("op MatMul already has a schema rule");
        assertThat(OpSchemas.knownOps(MS)).containsExactly("DynamicQuantizeMatMul", "MatMulBnb4", "MatMulNBits");
        assertThat(OpSchemas.knownOps()).contains("QuantizeLinear", "DequantizeLinear", "DynamicQuantizeLinear",
                "MatMulInteger");
    }
}
