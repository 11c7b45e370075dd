package io.ortune.export.quant;

/** Round-to-nearest weight quantization: int8 per channel (symmetric) and int4 blocks (MatMulNBits layout). */
final class WeightQuant {

    private WeightQuant() {
    }

    /**
     * Symmetric int8 per channel of a row-major {@code rows×cols} matrix: channel {@code c} along {@code axis}
     * (0: rows, 1: columns) gets scale max|w|/127 (1 for an all-zero channel) and codes round(w/scale) in ±127.
     *
     * @return codes (row-major, same layout) and one scale per channel
     */
    static Int8 int8PerChannel(float[] w, int rows, int cols, int axis) {
        int channels = axis == 0 ? rows : cols;
        float[] scales = new float[channels];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                int ch = axis == 0 ? r : c;
                scales[ch] = Math.max(scales[ch], Math.abs(w[r * cols + c]));
            }
        }
        for (int ch = 0; ch < channels; ch++) {
            scales[ch] = scales[ch] > 0 ? scales[ch] / 127f : 1f;
        }
        byte[] q = new byte[w.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                float s = scales[axis == 0 ? r : c];
                q[r * cols + c] = (byte) Math.max(-127, Math.min(127, Math.round(w[r * cols + c] / s)));
            }
        }
        return new Int8(q, scales);
    }

    record Int8(byte[] codes, float[] scales) {
    }

    /**
     * int4 blocks of {@code block} consecutive elements along K for each of the N rows of an {@code N×K} matrix,
     * K zero-padded to whole blocks. Symmetric: scale = max|w|/7, code round(w/scale)+8 in [0, 15] (zero point 8,
     * MatMulNBits' default). Asymmetric: scale = (max−min)/15 over a range holding 0, zero point round(−min/scale).
     * Two codes per byte, the even element in the low nibble; packed zero points likewise per row.
     */
    static Int4 int4Blocks(float[] w, int n, int k, int block, boolean zeroPoints) {
        int blocks = (k + block - 1) / block;
        byte[] packed = new byte[n * blocks * block / 2];
        float[] scales = new float[n * blocks];
        int zpPerRow = (blocks + 1) / 2;
        byte[] zps = zeroPoints ? new byte[n * zpPerRow] : null;
        for (int r = 0; r < n; r++) {
            for (int b = 0; b < blocks; b++) {
                float lo = 0;
                float hi = 0;
                for (int j = b * block; j < Math.min(k, (b + 1) * block); j++) {
                    lo = Math.min(lo, w[r * k + j]);
                    hi = Math.max(hi, w[r * k + j]);
                }
                float scale;
                int zp;
                if (zeroPoints) {
                    scale = hi > lo ? (hi - lo) / 15f : 1f;
                    zp = Math.max(0, Math.min(15, Math.round(-lo / scale)));
                    zps[r * zpPerRow + b / 2] |= (byte) (b % 2 == 0 ? zp : zp << 4);
                } else {
                    float amax = Math.max(-lo, hi);
                    scale = amax > 0 ? amax / 7f : 1f;
                    zp = 8;
                }
                scales[r * blocks + b] = scale;
                for (int j = 0; j < block; j++) {
                    int col = b * block + j;
                    float x = col < k ? w[r * k + col] : 0f;
                    int q = Math.max(0, Math.min(15, Math.round(x / scale) + zp));
                    int byteAt = (r * blocks + b) * (block / 2) + j / 2;
                    packed[byteAt] |= (byte) (j % 2 == 0 ? q : q << 4);
                }
            }
        }
        return new Int4(packed, scales, zps, blocks);
    }

    record Int4(byte[] packed, float[] scales, byte[] zeroPoints, int blocks) {
    }
}
