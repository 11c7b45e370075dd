package io.ortune.export.quant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.Map;
import java.util.Random;

/**
 * Dynamic int8 and int4 against float64 Java references built from the file's own codes: int4 by decoding
 * MatMulNBits' layout independently (an ORT that read the nibbles the other way round would not match), dynamic
 * int8 within the rigorous bound of ORT's run-time uint8 activation rounding.
 */
class WeightOnlyPassTest {

    private static final int K = 80;   // not a multiple of 32: the last block is zero-padded
    private static final int N = 24;
    private static final int ROWS = 5;

    /** y = x · W (W [K, N] pre-transposed) or x · Transpose(W [N, K]). */
    private static Model linear(boolean outIn, long seed) {
        Random r = new Random(seed);
        GraphBuilder b = GraphBuilder.create("lin");
        Value x = b.input("x", DataType.FLOAT, ROWS, K);
        Value w = outIn ? b.transpose(b.initializer("fc.weight", TinyDecoder.randn(r, "w", 0.3, N, K)), 1, 0)
                : b.initializer("fc.weight", TinyDecoder.randn(r, "w", 0.3, K, N));
        b.output(b.matMul(x, w), "y");
        return b.model();
    }

    private static float[] weightNk(Model m, boolean outIn) {
        float[] w = m.graph().initializer("fc.weight").constant().toFloats();
        if (outIn) {
            return w;
        }
        float[] t = new float[w.length];
        for (int k = 0; k < K; k++) {
            for (int n = 0; n < N; n++) {
                t[n * K + k] = w[k * N + n];
            }
        }
        return t;
    }

    private static Tensor input(long seed) {
        return TinyDecoder.randn(new Random(seed), "x", 1.0, ROWS, K);
    }

    private static Node only(Model m, String op) {
        return m.graph().nodes().stream().filter(n -> n.opType().equals(op)).findFirst().orElseThrow();
    }

    @ParameterizedTest(name = "outIn={0} zeroPoints={1} block={2}")
    @CsvSource({"false,false,32", "true,false,32", "true,true,16", "false,true,64"})
    void int4MatchesTheDecodedBlocks(boolean outIn, boolean zeroPoints, int block) {
        Model m = linear(outIn, 3);
        QuantResult r = Quantizer.quantize(m, QuantSettings.int4(block).withZeroPoints(zeroPoints));
        Node q = only(r.model(), "MatMulNBits");
        assertThat(r.model().graph().nodes()).noneMatch(n -> n.is("Transpose") || n.is("MatMul"));
        int blocks = (K + block - 1) / block;
        ByteBuffer packed = q.input(1).constant().bytes();
        float[] scales = q.input(2).constant().toFloats();
        ByteBuffer zps = zeroPoints ? q.input(3).constant().bytes() : null;
        float[] w = weightNk(m, outIn);
        double[] deq = new double[N * K];
        for (int n = 0; n < N; n++) {
            for (int k = 0; k < K; k++) {
                int b = k / block;
                int idx = (n * blocks + b) * block + k % block;
                int code = (packed.get(idx / 2) >> (idx % 2 == 0 ? 0 : 4)) & 0xf;
                int zp = zps == null ? 8 : (zps.get(n * ((blocks + 1) / 2) + b / 2) >> (b % 2 == 0 ? 0 : 4)) & 0xf;
                double s = scales[n * blocks + b];
                deq[n * K + k] = (code - zp) * s;
                // round to nearest: within half a step of the float weight
                assertThat(Math.abs(deq[n * K + k] - w[n * K + k])).isLessThanOrEqualTo(s * 0.5 + 1e-6);
            }
        }
        Tensor x = input(4);
        float[] y = TinyDecoder.run(r.model(), Map.of("x", x)).get("y").toFloats();
        float[] xs = x.toFloats();
        for (int i = 0; i < ROWS; i++) {
            for (int n = 0; n < N; n++) {
                double ref = 0;
                for (int k = 0; k < K; k++) {
                    ref += xs[i * K + k] * deq[n * K + k];
                }
                // float32 accumulation over K = 80 terms of size ≤ 1: 1e-4 + 1e-4·|ref|
                assertThat(Math.abs(y[i * N + n] - ref)).as("y[%d,%d]", i, n)
                        .isLessThanOrEqualTo(1e-4 + 1e-4 * Math.abs(ref));
            }
        }
    }

    @ParameterizedTest(name = "outIn={0}")
    @CsvSource({"false", "true"})
    void dynamicInt8IsWithinTheActivationRoundingBound(boolean outIn) {
        Model m = linear(outIn, 5);
        QuantResult r = Quantizer.quantize(m, QuantSettings.dynamic());
        Node q = only(r.model(), "DynamicQuantizeMatMul");
        ByteBuffer codes = q.input(1).constant().bytes();
        float[] scales = q.input(2).constant().toFloats();
        float[] w = weightNk(m, outIn);
        double[] deq = new double[K * N];
        for (int k = 0; k < K; k++) {
            for (int n = 0; n < N; n++) {
                deq[k * N + n] = codes.get(k * N + n) * (double) scales[n];
                assertThat(Math.abs(deq[k * N + n] - w[n * K + k])).isLessThanOrEqualTo(scales[n] * 0.5 + 1e-7);
            }
        }
        Tensor x = input(6);
        float[] xs = x.toFloats();
        float lo = 0;
        float hi = 0;
        for (float v : xs) {
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        double stepA = (hi - lo) / 255.0;   // ORT quantizes A per tensor to uint8 over [min(0,x), max(0,x)]
        float[] y = TinyDecoder.run(r.model(), Map.of("x", x)).get("y").toFloats();
        for (int i = 0; i < ROWS; i++) {
            for (int n = 0; n < N; n++) {
                double ref = 0;
                double bound = 0;
                for (int k = 0; k < K; k++) {
                    ref += xs[i * K + k] * deq[k * N + n];
                    bound += Math.abs(deq[k * N + n]);
                }
                // |Δy| ≤ (step/2)·Σ|w| from rounding A, plus float32 accumulation 1e-4·|ref|
                assertThat(Math.abs(y[i * N + n] - ref)).as("y[%d,%d]", i, n)
                        .isLessThanOrEqualTo(stepA / 2 * bound + 1e-4 + 1e-4 * Math.abs(ref));
            }
        }
    }

    @Test
    void aModelWithNothingToQuantizeIsRefused() {
        GraphBuilder b = GraphBuilder.create("none");
        Value x = b.input("x", DataType.FLOAT, 2, 3);
        b.output(b.relu(b.matMul(x, b.transpose(x, 1, 0))), "y");
        for (QuantSettings s : new QuantSettings[] {QuantSettings.dynamic(), QuantSettings.int4(32)}) {
            assertThatThrownBy(() -> Quantizer.quantize(b.model(), s))
                    .hasMessageContaining("nothing to quantize").hasMessageContaining("MatMul/Gemm");
        }
    }
}
