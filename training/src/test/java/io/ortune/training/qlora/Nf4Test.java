package io.ortune.training.qlora;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.Random;

/** NF4 and double quantization against brute-force definitions. */
class Nf4Test {

    @Test
    void codebookIsQloraS16ValuesWithExactZeroAndEnds() {
        float[] cb = Nf4.codebook();
        assertThat(cb).hasSize(16);
        assertThat(cb[0]).isEqualTo(-1f);
        assertThat(cb[7]).isEqualTo(0f);
        assertThat(cb[15]).isEqualTo(1f);
        for (int i = 1; i < 16; i++) {
            assertThat(cb[i]).isGreaterThan(cb[i - 1]);
        }
    }

    @ParameterizedTest
    @CsvSource({"4,16,64", "5,24,64", "3,7,16", "33,65,128"})
    void everyCodeIsTheNearestValueAndPackingIsHighNibbleFirst(int n, int k, int block) {
        float[] w = random(n * k, 11);
        Nf4.Quantized q = Nf4.quantize(w, n, k, block);
        assertThat(q.packed()).hasSize((n * k + 1) / 2);
        assertThat(q.absmax()).hasSize((n * k + block - 1) / block);
        float[] cb = Nf4.codebook();
        for (int i = 0; i < n * k; i++) {
            float absmax = q.absmax()[i / block];
            double x = w[i] / absmax;
            int best = 0;
            for (int c = 1; c < 16; c++) {
                if (Math.abs(cb[c] - x) < Math.abs(cb[best] - x)) {
                    best = c;
                }
            }
            int b = q.packed()[i / 2] & 0xff;
            int code = i % 2 == 0 ? b >>> 4 : b & 15;
            assertThat(code).as("code of element %d (x = %f)", i, x).isEqualTo(best);
        }
        for (int blk = 0; blk < q.absmax().length; blk++) {
            float max = 0;
            for (int i = blk * block; i < Math.min(n * k, (blk + 1) * block); i++) {
                max = Math.max(max, Math.abs(w[i]));
            }
            assertThat(q.absmax()[blk]).isEqualTo(max);
        }
        float[] back = Nf4.dequantize(q);
        for (int i = 0; i < back.length; i++) {
            assertThat(back[i]).isEqualTo(cb[Nf4.code(q.packed(), i)] * q.absmax()[i / block]);
        }
    }

    @Test
    void anOddCountPadsTheLastNibbleWithTheCodeOfZeroAndAZeroBlockQuantizesToZero() {
        float[] w = new float[21];
        Nf4.Quantized q = Nf4.quantize(w, 3, 7, 16);
        assertThat(q.packed()[10] & 15).isEqualTo(7);
        assertThat(Nf4.dequantize(q)).containsOnly(0f);
    }

    @Test
    void badInputIsRefused() {
        assertThatThrownBy(() -> Nf4.quantize(new float[6], 2, 3, 48)).hasMessageContaining("power of two");
        assertThatThrownBy(() -> Nf4.quantize(new float[5], 2, 3, 64)).hasMessageContaining("not [2, 3]");
        assertThatThrownBy(() -> Nf4.quantize(new float[] {1, Float.NaN}, 1, 2, 64))
                .hasMessageContaining("element 1 is NaN");
    }

    @Test
    void dynamicMapIsBitsandbytesSignedMap() {
        float[] m = DoubleQuant.dynamicMap8();
        assertThat(m).hasSize(256);
        assertThat(m[255]).isEqualTo(1f);
        assertThat(m).contains(0f);
        for (int i = 1; i < 256; i++) {
            assertThat(m[i]).isGreaterThanOrEqualTo(m[i - 1]);
        }
        // The smallest exponent's single fraction: 1e-6 · (0.1 + 1) / 2.
        assertThat(m[127]).isEqualTo(0f);
        assertThat((double) m[128]).isCloseTo(5.5e-7, org.assertj.core.data.Offset.offset(1e-12));
        // The largest negative value is the top exponent's first fraction midpoint, not -1 (the map is asymmetric).
        // (linspace(0.1, 1, 65)[63] + 1) / 2 = (0.9859375 + 1) / 2.
        assertThat(m[0]).isCloseTo(-0.99296875f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    @Test
    void doubleQuantizationRoundTripsScalesClosely() {
        float[] absmax = new float[1000];
        Random r = new Random(3);
        for (int i = 0; i < absmax.length; i++) {
            absmax[i] = 0.05f + 0.1f * r.nextFloat();
        }
        DoubleQuant.Quantized q = DoubleQuant.quantize(absmax);
        assertThat(q.scales()).hasSize(4);
        float[] back = DoubleQuant.dequantize(q);
        for (int i = 0; i < absmax.length; i++) {
            // 8-bit dynamic codes of values in [-1, 1] relative to the block's max deviation from the mean: the
            // coarsest step (near ±1) is 0.9/64, so half of it times the block's scale bounds the error (+ float
            // rounding).
            double scale = q.scales()[i / DoubleQuant.BLOCK_SIZE];
            assertThat((double) Math.abs(back[i] - absmax[i])).isLessThanOrEqualTo(scale * 0.9 / 128 + 1e-7);
        }
    }

    @Test
    void bitsPerParameterMatchQlora() {
        assertThat(Nf4Config.defaults().bitsPerParameter()).isEqualTo(4.5);
        assertThat(Nf4Config.defaults().withDoubleQuant(true).bitsPerParameter())
                .isCloseTo(4.127, org.assertj.core.data.Offset.offset(5e-4));
    }

    static float[] random(int count, long seed) {
        Random r = new Random(seed);
        float[] w = new float[count];
        for (int i = 0; i < count; i++) {
            w[i] = (float) (r.nextGaussian() * 0.02);
        }
        return w;
    }
}
