package io.ortune.tensorrt;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

/** Small models for the compile checks: a float MatMul, and QDQ variants of it with one thing changed. */
final class TinyModels {

    private TinyModels() {
    }

    /**
     * How the QDQ variant is quantized.
     *
     * @param weightAxis         DequantizeLinear axis of the [4,4] weight (K = N, so either axis is valid ONNX)
     * @param perChannelWeight   4 weight scales (else one)
     * @param zeroPoint          the zero point value of every Q/DQ
     * @param zeroPointType      INT8 or UINT8
     * @param quantizeActivation Q/DQ on the activation input
     */
    record Qdq(int weightAxis, boolean perChannelWeight, byte zeroPoint, DataType zeroPointType,
               boolean quantizeActivation) {
        static Qdq good() {
            return new Qdq(1, true, (byte) 0, DataType.INT8, true);
        }

        Qdq axis(int a) {
            return new Qdq(a, perChannelWeight, zeroPoint, zeroPointType, quantizeActivation);
        }

        Qdq zeroPoint(int z, DataType t) {
            return new Qdq(weightAxis, perChannelWeight, (byte) z, t, quantizeActivation);
        }

        Qdq activation(boolean q) {
            return new Qdq(weightAxis, perChannelWeight, zeroPoint, zeroPointType, q);
        }

        Qdq perTensorWeight() {
            return new Qdq(weightAxis, false, zeroPoint, zeroPointType, quantizeActivation);
        }
    }

    /** x [batch, 4] → MatMul with a float [4,3] weight → y. */
    static Model floatMatMul() {
        GraphBuilder b = GraphBuilder.create("float_matmul");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value w = b.initializer("w", Tensor.ofFloats("w", new long[] {4, 3}, new float[12]));
        b.output(b.matMul(x, w), "y");
        return b.model();
    }

    /** Two inputs sharing the symbolic dims batch and seq, and a fixed-size one. */
    static Model twoInputs() {
        GraphBuilder b = GraphBuilder.create("two_inputs");
        Value ids = b.input("input_ids", DataType.INT64, "batch", "seq");
        Value mask = b.input("attention_mask", DataType.INT64, "batch", "seq");
        Value bias = b.input("bias", DataType.INT64, 1, 8);
        Value s = b.add(b.add(ids, mask), b.constLong(0));
        b.output(s, "sum");
        b.output(b.identity(bias), "bias_out");
        return b.model();
    }

    /** x → [Q → DQ] → MatMul(·, DQ(int8 weight)) → y, quantized as {@code q} says. */
    static Model qdqMatMul(Qdq q) {
        GraphBuilder b = GraphBuilder.create("qdq_matmul");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value a = q.quantizeActivation() ? qdq(b, x, "x", q) : x;
        Value y = b.matMul(a, weight(b, q));
        b.output(y, "y");
        return b.model();
    }

    /** A quantized MatMul whose output is added to the raw input of the block (a skip connection). */
    static Model residualBlock(boolean qdqOnResidual) {
        GraphBuilder b = GraphBuilder.create("residual");
        Value x = b.input("x", DataType.FLOAT, "batch", 4);
        Value h = b.relu(x);
        Qdq q = Qdq.good();
        Value mm = b.matMul(qdq(b, h, "h", q), weight4(b));
        Value skip = qdqOnResidual ? qdq(b, h, "skip", q) : h;
        b.output(b.add(mm, skip), "y");
        return b.model();
    }

    static Value qdq(GraphBuilder b, Value x, String name, Qdq q) {
        Value scale = b.initializer(name + "_scale", Tensor.scalarFloat(name + "_scale", 0.05f));
        Value zp = b.initializer(name + "_zp", Tensor.ofBytes(name + "_zp", q.zeroPointType(), new long[0],
                new byte[] {q.zeroPoint()}));
        Value quant = b.op("", "QuantizeLinear", List.of(x, scale, zp));
        return b.op("", "DequantizeLinear", List.of(quant, scale, zp));
    }

    private static Value weight(GraphBuilder b, Qdq q) {
        int channels = q.perChannelWeight() ? 4 : 1;
        float[] scales = new float[channels];
        java.util.Arrays.fill(scales, 0.01f);
        byte[] zps = new byte[channels];
        java.util.Arrays.fill(zps, q.zeroPoint());
        long[] dims = q.perChannelWeight() ? new long[] {channels} : new long[0];
        Value wq = b.initializer("w_q", Tensor.ofBytes("w_q", q.zeroPointType(), new long[] {4, 4}, new byte[16]));
        Value scale = b.initializer("w_scale", Tensor.ofFloats("w_scale", dims, scales));
        Value zp = b.initializer("w_zp", Tensor.ofBytes("w_zp", q.zeroPointType(), dims, zps));
        return b.op("", "DequantizeLinear", List.of(wq, scale, zp), new Attribute.IntAttr("axis", q.weightAxis()));
    }

    private static Value weight4(GraphBuilder b) {
        Value wq = b.initializer("w4_q", Tensor.ofBytes("w4_q", DataType.INT8, new long[] {4, 4}, new byte[16]));
        Value scale = b.initializer("w4_scale", Tensor.ofFloats("w4_scale", new long[] {4}, 0.01f, 0.01f, 0.01f,
                0.01f));
        Value zp = b.initializer("w4_zp", Tensor.ofBytes("w4_zp", DataType.INT8, new long[] {4}, new byte[4]));
        return b.op("", "DequantizeLinear", List.of(wq, scale, zp), new Attribute.IntAttr("axis", 1));
    }
}
