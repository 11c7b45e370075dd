package io.ortune.graph.peft;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.Random;

/**
 * The starting values of one LoRA pair in PEFT layout (A [r, in], B [out, r]) and, for PiSSA and OLoRA, the
 * residual base weight. Package-private: the passes' arithmetic, in float64.
 *
 * @param a        A, row-major [r, in]
 * @param b        B, row-major [out, r]
 * @param residual the new base weight in [out, in] layout, or null when the base weight stays
 */
record LoraFactors(double[] a, double[] b, double[] residual) {

    static LoraFactors init(LoraInit init, double[] wOutIn, int out, int in, int r, double scale, Random rnd) {
        return switch (init) {
            case KAIMING -> zeroB(uniformA(r, in, 1 / Math.sqrt(in), rnd), out, r);
            case GAUSSIAN -> zeroB(gaussianA(r, in, 1.0 / r, rnd), out, r);
            case PISSA -> pissa(wOutIn, out, in, r, scale, rnd.nextLong());
            case OLORA -> olora(wOutIn, out, in, r, scale);
        };
    }

    private static LoraFactors zeroB(double[] a, int out, int r) {
        return new LoraFactors(a, new double[out * r], null);
    }

    /** {@code nn.init.kaiming_uniform_(A, a=√5)}: U(−bound, bound) with bound = gain·√(3/fan_in) = 1/√in. */
    private static double[] uniformA(int r, int in, double bound, Random rnd) {
        double[] a = new double[r * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = (2 * rnd.nextDouble() - 1) * bound;
        }
        return a;
    }

    private static double[] gaussianA(int r, int in, double std, Random rnd) {
        double[] a = new double[r * in];
        for (int i = 0; i < a.length; i++) {
            a[i] = rnd.nextGaussian() * std;
        }
        return a;
    }

    /** PEFT's {@code pissa_init}: W = U S Vᵀ; A = diag(√(S_r/s))·V_rᵀ, B = U_r·diag(√(S_r/s)); W ← W − s·B·A. */
    private static LoraFactors pissa(double[] w, int out, int in, int r, double scale, long seed) {
        DenseLinalg.Svd svd = DenseLinalg.topSvd(w, out, in, r, seed);
        double[] a = new double[r * in];
        double[] b = new double[out * r];
        for (int t = 0; t < r; t++) {
            double root = Math.sqrt(svd.s()[t] / scale);
            for (int j = 0; j < in; j++) {
                a[t * in + j] = root * svd.vt()[t * in + j];
            }
            for (int i = 0; i < out; i++) {
                b[i * r + t] = svd.u()[i * r + t] * root;
            }
        }
        return withResidual(w, a, b, out, in, r, scale);
    }

    /** PEFT's {@code olora_init}: W = QR; A = R[:r], B = Q[:, :r]; W ← W − s·B·A. */
    private static LoraFactors olora(double[] w, int out, int in, int r, double scale) {
        DenseLinalg.Qr qr = DenseLinalg.qr(w, out, in, r);
        return withResidual(w, qr.rr(), qr.q(), out, in, r, scale);
    }

    /** Rounds A and B to float32 first, so that the residual is W minus what the graph will compute. */
    private static LoraFactors withResidual(double[] w, double[] a, double[] b, int out, int in, int r,
                                            double scale) {
        double[] af = roundToFloat(a);
        double[] bf = roundToFloat(b);
        double s = (float) scale;
        double[] res = w.clone();
        for (int i = 0; i < out; i++) {
            for (int t = 0; t < r; t++) {
                double f = s * bf[i * r + t];
                if (f == 0) {
                    continue;
                }
                for (int j = 0; j < in; j++) {
                    res[i * in + j] -= f * af[t * in + j];
                }
            }
        }
        return new LoraFactors(af, bf, res);
    }

    private static double[] roundToFloat(double[] v) {
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = (float) v[i];
        }
        return out;
    }

    // ---- tensors <-> float64 ---------------------------------------------------------------------------------

    /** The values of a float or double tensor as doubles. */
    static double[] values(Tensor t) {
        if (t.dtype() == DataType.DOUBLE) {
            return t.toDoubles();
        }
        float[] f = t.toFloats();
        double[] out = new double[f.length];
        for (int i = 0; i < f.length; i++) {
            out[i] = f[i];
        }
        return out;
    }

    /** A float or double tensor holding {@code v}. */
    static Tensor tensor(String name, DataType dtype, long[] dims, double[] v) {
        if (dtype == DataType.DOUBLE) {
            return Tensor.ofDoubles(name, dims, v);
        }
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            f[i] = (float) v[i];
        }
        return Tensor.ofFloats(name, dims, f);
    }

    /** W in [out, in] layout from a weight stored as {@code layout}. */
    static double[] outIn(double[] stored, WeightLayout layout, int out, int in) {
        return layout == WeightLayout.OUT_IN ? stored : transpose(stored, in, out);
    }

    /** A weight in [out, in] layout back in its stored {@code layout}. */
    static double[] stored(double[] outIn, WeightLayout layout, int out, int in) {
        return layout == WeightLayout.OUT_IN ? outIn : transpose(outIn, out, in);
    }

    static double[] transpose(double[] m, int rows, int cols) {
        double[] t = new double[m.length];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                t[j * rows + i] = m[i * cols + j];
            }
        }
        return t;
    }
}
