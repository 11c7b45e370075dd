package io.ortune.export.merge;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.WeightLayout;

/** Float64 views of float/double tensors, and the one rounding back to the stored type. */
final class Dense {

    private Dense() {
    }

    /** A float or double tensor's values as doubles; other types are refused naming the tensor. */
    static double[] values(Tensor t) {
        if (t.dtype() == DataType.DOUBLE) {
            return t.toDoubles();
        }
        if (t.dtype() == DataType.FLOAT) {
            float[] f = t.toFloats();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return d;
        }
        throw new MergeException("tensor '" + t.name() + "' is " + t.dtype().onnxName()
                + "; merging needs float or double weights");
    }

    /** {@code d} rounded once to {@code dtype} (float or double), named and shaped like {@code like}. */
    static Tensor tensor(Tensor like, double[] d) {
        if (like.dtype() == DataType.DOUBLE) {
            return Tensor.ofDoubles(like.name(), like.dims(), d);
        }
        float[] f = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            f[i] = (float) d[i];
        }
        return Tensor.ofFloats(like.name(), like.dims(), f);
    }

    /** The weight as [out, in] row-major, whatever its stored layout. */
    static double[] outIn(Tensor w, WeightLayout layout, int out, int in) {
        double[] v = values(w);
        return layout == WeightLayout.OUT_IN ? v : transpose(v, in, out);
    }

    /** An [out, in] matrix back in the stored layout. */
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

    /** (m × k) · (k × n), row-major. */
    static double[] times(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int t = 0; t < k; t++) {
                double x = a[i * k + t];
                if (x == 0) {
                    continue;
                }
                for (int j = 0; j < n; j++) {
                    c[i * n + j] += x * b[t * n + j];
                }
            }
        }
        return c;
    }
}
