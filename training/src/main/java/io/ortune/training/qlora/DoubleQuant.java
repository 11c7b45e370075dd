package io.ortune.training.qlora;

import java.util.Arrays;

/**
 * QLoRA's double quantization of the NF4 block scales: subtract their mean, then quantize them blockwise again
 * (blocks of {@value #BLOCK_SIZE}) to 8-bit codes of bitsandbytes' signed dynamic map (a tree of 7 decimal exponents
 * with 2^i linearly spaced fractions each, plus 0 and 1), with one float32 scale per block. Costs
 * 8/64 + 32/(64·256) ≈ 0.127 bits per weight instead of 32/64 = 0.5.
 */
public final class DoubleQuant {

    /** QLoRA's second-level block size. */
    public static final int BLOCK_SIZE = 256;

    static final float[] DYNAMIC_MAP = dynamicMap();

    /**
     * Quantized block scales.
     *
     * @param codes  one 8-bit code per first-level block
     * @param scales one float32 absmax per {@value #BLOCK_SIZE} codes
     * @param offset the mean subtracted before quantizing
     */
    public record Quantized(byte[] codes, float[] scales, float offset) { }

    private DoubleQuant() {
    }

    /** The 256 values of the signed dynamic map, ascending. */
    public static float[] dynamicMap8() {
        return DYNAMIC_MAP.clone();
    }

    /** Quantizes NF4 absmax values. */
    public static Quantized quantize(float[] absmax) {
        double sum = 0;
        for (float a : absmax) {
            sum += a;
        }
        float offset = (float) (sum / absmax.length);
        int blocks = (absmax.length + BLOCK_SIZE - 1) / BLOCK_SIZE;
        float[] scales = new float[blocks];
        byte[] codes = new byte[absmax.length];
        for (int b = 0; b < blocks; b++) {
            int from = b * BLOCK_SIZE;
            int to = Math.min(absmax.length, from + BLOCK_SIZE);
            float max = 0f;
            for (int i = from; i < to; i++) {
                max = Math.max(max, Math.abs(absmax[i] - offset));
            }
            scales[b] = max;
            for (int i = from; i < to; i++) {
                codes[i] = (byte) (max == 0f ? zeroCode() : nearest((absmax[i] - offset) / max));
            }
        }
        return new Quantized(codes, scales, offset);
    }

    /** The absmax values the codes stand for: {@code map[code] · scale[block] + offset}. */
    public static float[] dequantize(Quantized q) {
        float[] out = new float[q.codes.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = DYNAMIC_MAP[q.codes[i] & 0xff] * q.scales[i / BLOCK_SIZE] + q.offset;
        }
        return out;
    }

    private static int zeroCode() {
        return nearest(0f);
    }

    /** Index of the map value nearest to {@code x} (ties to the lower index). */
    static int nearest(float x) {
        int i = Arrays.binarySearch(DYNAMIC_MAP, x);
        if (i >= 0) {
            return i;
        }
        int hi = -i - 1;
        if (hi == 0) {
            return 0;
        }
        if (hi == DYNAMIC_MAP.length) {
            return DYNAMIC_MAP.length - 1;
        }
        return x - DYNAMIC_MAP[hi - 1] <= DYNAMIC_MAP[hi] - x ? hi - 1 : hi;
    }

    /**
     * bitsandbytes' {@code create_dynamic_map(signed=True, max_exponent_bits=7, total_bits=8)}: for exponent
     * i = 0..6, the 2^i midpoints of {@code linspace(0.1, 1, 2^i + 1)} scaled by 10^(i-6), with both signs; then 0 and 1.
     */
    private static float[] dynamicMap() {
        float[] v = new float[256];
        int n = 0;
        for (int i = 0; i < 7; i++) {
            int items = (1 << i) + 1;
            double scale = Math.pow(10, -6 + i);
            for (int j = 0; j < items - 1; j++) {
                double lo = 0.1 + 0.9 * j / (items - 1);
                double hi = 0.1 + 0.9 * (j + 1) / (items - 1);
                float mean = (float) ((float) lo + (float) hi) / 2f;
                v[n++] = (float) (scale * mean);
                v[n++] = (float) (-scale * mean);
            }
        }
        v[n++] = 0f;
        v[n++] = 1f;
        if (n != 256) {
            throw new AssertionError("dynamic map has " + n + " values");
        }
        Arrays.sort(v);
        return v;
    }
}
