package io.ortune.training.qlora;

/**
 * QLoRA's 4-bit NormalFloat (NF4) block quantization, in the layout ONNX Runtime's {@code com.microsoft.MatMulBnb4}
 * reads: the weight in {@code [N, K]} = {@code [out, in]} (PyTorch Linear) layout flattened row-major, cut into
 * blocks of {@code blockSize} consecutive elements (the last one padded with zeros), one float32 absmax per block,
 * each element the index of the NF4 codebook value nearest to {@code w / absmax}, two codes per byte with element
 * {@code 2i} in the high nibble and {@code 2i+1} in the low nibble.
 */
public final class Nf4 {

    /** QLoRA's 16 NF4 values (quantiles of N(0, 1) normalised to [-1, 1], with an exact zero). */
    static final float[] CODEBOOK = {
        -1.0f, -0.6961928009986877f, -0.5250730514526367f, -0.39491748809814453f, -0.28444138169288635f,
        -0.18477343022823334f, -0.09105003625154495f, 0.0f, 0.07958029955625534f, 0.16093020141124725f,
        0.24611230194568634f, 0.33791524171829224f, 0.44070982933044434f, 0.5626170039176941f,
        0.7229568362236023f, 1.0f};

    /** MatMulBnb4's {@code quant_type} for NF4. */
    public static final int QUANT_TYPE = 1;
    /** QLoRA's block size. */
    public static final int DEFAULT_BLOCK_SIZE = 64;

    private static final float[] MIDPOINTS = new float[15];

    static {
        for (int i = 0; i < 15; i++) {
            MIDPOINTS[i] = (CODEBOOK[i] + CODEBOOK[i + 1]) / 2f;
        }
    }

    /**
     * A quantized weight.
     *
     * @param packed    {@code ceil(N·K/2)} bytes of codes
     * @param absmax    {@code ceil(N·K/blockSize)} block scales
     * @param n         rows (output features)
     * @param k         columns (input features)
     * @param blockSize elements per block
     */
    public record Quantized(byte[] packed, float[] absmax, int n, int k, int blockSize) {

        /** Elements of the weight. */
        public long elements() {
            return (long) n * k;
        }
    }

    private Nf4() {
    }

    /** A copy of the codebook. */
    public static float[] codebook() {
        return CODEBOOK.clone();
    }

    /**
     * Quantizes {@code w}, given row-major in {@code [n, k]} layout.
     *
     * @throws IllegalArgumentException for a bad block size (MatMulBnb4 takes powers of two from 16 to 4096), a size
     *                                  mismatch, a weight of over 2^31 elements, or a non-finite value
     */
    public static Quantized quantize(float[] w, int n, int k, int blockSize) {
        checkBlockSize(blockSize);
        long numel = (long) n * k;
        if (n < 1 || k < 1 || numel != w.length) {
            throw new IllegalArgumentException("weight of " + w.length + " values is not [" + n + ", " + k + "]");
        }
        int blocks = (int) ((numel + blockSize - 1) / blockSize);
        float[] absmax = new float[blocks];
        byte[] packed = new byte[(int) ((numel + 1) / 2)];
        for (int b = 0; b < blocks; b++) {
            int from = b * blockSize;
            int to = (int) Math.min(numel, from + (long) blockSize);
            float max = 0f;
            for (int i = from; i < to; i++) {
                float v = w[i];
                if (!Float.isFinite(v)) {
                    throw new IllegalArgumentException("weight element " + i + " is " + v + "; NF4 needs finite values");
                }
                max = Math.max(max, Math.abs(v));
            }
            absmax[b] = max;
            for (int i = from; i < to; i++) {
                int code = max == 0f ? 7 : nearest(w[i] / max);
                int shift = (i & 1) == 0 ? 4 : 0;
                packed[i >> 1] |= (byte) (code << shift);
            }
            if (to == numel && (numel & 1) == 1) {
                packed[(int) (numel >> 1)] |= (byte) 7; // pad element: code of 0.0 in the low nibble
            }
        }
        return new Quantized(packed, absmax, n, k, blockSize);
    }

    /** The float weight the codes stand for, row-major {@code [n, k]}: {@code codebook[code] · absmax[block]}. */
    public static float[] dequantize(Quantized q) {
        int numel = (int) q.elements();
        float[] out = new float[numel];
        for (int i = 0; i < numel; i++) {
            out[i] = CODEBOOK[code(q.packed, i)] * q.absmax[i / q.blockSize];
        }
        return out;
    }

    /** The code of element {@code i}. */
    static int code(byte[] packed, int i) {
        int b = packed[i >> 1] & 0xff;
        return (i & 1) == 0 ? b >>> 4 : b & 0x0f;
    }

    /** Index of the codebook value nearest to {@code x} in [-1, 1]. */
    static int nearest(float x) {
        int lo = 0;
        int hi = 15;
        while (lo < hi) { // first midpoint >= x, by bisection over the 15 midpoints
            int mid = (lo + hi) >>> 1;
            if (x > MIDPOINTS[mid]) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    static void checkBlockSize(int blockSize) {
        if (blockSize < 16 || blockSize > 4096 || Integer.bitCount(blockSize) != 1) {
            throw new IllegalArgumentException("NF4 block size must be a power of two from 16 to 4096, not "
                    + blockSize);
        }
    }
}
