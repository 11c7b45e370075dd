package io.ortune.training.qlora;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

/**
 * NF4 dequantization written in standard ONNX ops, exactly as {@link Nf4#dequantize} and
 * {@link DoubleQuant#dequantize} compute it, for the two places a graph needs it: the activation gradient of
 * {@code MatMulBnb4} (whose CPU kernel computes wrong values with {@code transB=0}) and the block scales of a
 * double-quantized weight.
 */
public final class Nf4Graph {

    private Nf4Graph() {
    }

    /**
     * The weight {@code [n, k]} (float32) from {@code packed} (uint8 [ceil(n·k/2)]) and {@code absmax} (float32
     * [ceil(n·k/blockSize)]): one table lookup per byte (high nibble then low nibble), times the block's absmax.
     */
    public static Value dequantizeWeight(GraphBuilder b, Value packed, Value absmax, long n, long k, long blockSize) {
        long numel = n * k;
        long blocks = (numel + blockSize - 1) / blockSize;
        long bytes = (numel + 1) / 2;
        // One lookup per byte: row v of the table holds the values of its high and low nibble.
        Value table = b.constant(Tensor.ofFloats("value", new long[] {256, 2}, BYTE_TABLE));
        Value values = b.reshape(b.gather(table, b.cast(packed, DataType.INT32), 0), -1);
        if (2 * bytes == numel && blocks * blockSize == numel) {
            // No padding anywhere: scale [blocks, blockSize] rows by their absmax (broadcast), then [n, k].
            Value scaled = b.mul(b.reshape(values, blocks, blockSize), b.unsqueeze(absmax, 1));
            return b.reshape(scaled, n, k);
        }
        values = b.slice(values, new long[] {0}, new long[] {numel}, new long[] {0});
        Value scales = b.reshape(b.expand(b.unsqueeze(absmax, 1), b.constLongs(blocks, blockSize)), -1);
        scales = b.slice(scales, new long[] {0}, new long[] {numel}, new long[] {0});
        return b.reshape(b.mul(values, scales), n, k);
    }

    /** [256, 2]: for each byte, the NF4 values of its high and low nibble. */
    private static final float[] BYTE_TABLE = byteTable();

    private static float[] byteTable() {
        float[] t = new float[512];
        for (int v = 0; v < 256; v++) {
            t[2 * v] = Nf4.CODEBOOK[v >>> 4];
            t[2 * v + 1] = Nf4.CODEBOOK[v & 15];
        }
        return t;
    }

    /**
     * NF4 block scales from their double quantization: {@code map[codes] · scales[block of 256] + offset}, float32
     * [count].
     */
    public static Value dequantizeAbsmax(GraphBuilder b, Value codes, Value scales, Value offset, long count) {
        long blocks = (count + DoubleQuant.BLOCK_SIZE - 1) / DoubleQuant.BLOCK_SIZE;
        Value map = b.constant(Tensor.ofFloats("value", new long[] {256}, DoubleQuant.dynamicMap8()));
        Value values = b.gather(map, b.cast(codes, DataType.INT32), 0);
        Value perCode = b.reshape(b.expand(b.unsqueeze(scales, 1), b.constLongs(blocks, DoubleQuant.BLOCK_SIZE)), -1);
        perCode = b.slice(perCode, new long[] {0}, new long[] {count}, new long[] {0});
        return b.add(b.mul(values, perCode), offset);
    }
}
