package io.ortune.graph.analysis;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.Arrays;

/**
 * A small tensor held as Java arrays for constant folding: int64/int32/bool as {@code long[]}, float/double as
 * {@code double[]} (float results rounded to float precision).
 */
final class HostTensor {

    final DataType dtype;
    final long[] dims;
    final long[] ints;
    final double[] reals;

    private HostTensor(DataType dtype, long[] dims, long[] ints, double[] reals) {
        this.dtype = dtype;
        this.dims = dims;
        this.ints = ints;
        this.reals = reals;
    }

    static boolean supports(DataType t) {
        return t == DataType.INT64 || t == DataType.INT32 || t == DataType.BOOL || isReal(t);
    }

    static boolean isReal(DataType t) {
        return t == DataType.FLOAT || t == DataType.DOUBLE;
    }

    static HostTensor ofInts(DataType dtype, long[] dims, long[] values) {
        long[] v = values.clone();
        for (int i = 0; i < v.length; i++) {
            v[i] = dtype == DataType.INT32 ? (int) v[i] : dtype == DataType.BOOL ? (v[i] != 0 ? 1 : 0) : v[i];
        }
        return new HostTensor(dtype, dims.clone(), v, null);
    }

    static HostTensor ofReals(DataType dtype, long[] dims, double[] values) {
        double[] v = values.clone();
        if (dtype == DataType.FLOAT) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) v[i];
            }
        }
        return new HostTensor(dtype, dims.clone(), null, v);
    }

    /** Values of {@code dtype} converted from doubles (truncating toward zero for integers, as Cast does). */
    static HostTensor of(DataType dtype, long[] dims, double[] values) {
        if (isReal(dtype)) {
            return ofReals(dtype, dims, values);
        }
        long[] l = new long[values.length];
        for (int i = 0; i < l.length; i++) {
            l[i] = dtype == DataType.BOOL ? (values[i] != 0 ? 1 : 0) : (long) values[i];
        }
        return ofInts(dtype, dims, l);
    }

    /** Null for unsupported element types. */
    static HostTensor of(Tensor t) {
        if (!supports(t.dtype())) {
            return null;
        }
        if (t.dtype() == DataType.FLOAT) {
            float[] f = t.toFloats();
            double[] d = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                d[i] = f[i];
            }
            return new HostTensor(DataType.FLOAT, t.dims(), null, d);
        }
        if (t.dtype() == DataType.DOUBLE) {
            return new HostTensor(DataType.DOUBLE, t.dims(), null, t.toDoubles());
        }
        return new HostTensor(t.dtype(), t.dims(), t.toLongsWidening(), null);
    }

    Tensor toTensor(String name) {
        switch (dtype) {
            case INT64:
                return Tensor.ofLongs(name, dims, ints);
            case INT32: {
                int[] v = new int[ints.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (int) ints[i];
                }
                return Tensor.ofInts(name, dims, v);
            }
            case BOOL: {
                boolean[] v = new boolean[ints.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = ints[i] != 0;
                }
                return Tensor.ofBooleans(name, dims, v);
            }
            case FLOAT: {
                float[] v = new float[reals.length];
                for (int i = 0; i < v.length; i++) {
                    v[i] = (float) reals[i];
                }
                return Tensor.ofFloats(name, dims, v);
            }
            default:
                return Tensor.ofDoubles(name, dims, reals);
        }
    }

    boolean isReal() {
        return reals != null;
    }

    int size() {
        return isReal() ? reals.length : ints.length;
    }

    double real(int i) {
        return isReal() ? reals[i] : ints[i];
    }

    long integer(int i) {
        return isReal() ? (long) reals[i] : ints[i];
    }

    /** The same data with other dims. */
    HostTensor reshaped(long[] newDims) {
        return new HostTensor(dtype, newDims.clone(), ints, reals);
    }

    /** Elements picked by index from this tensor, in the given dims. */
    HostTensor gather(long[] newDims, int[] from) {
        if (isReal()) {
            double[] out = new double[from.length];
            for (int i = 0; i < from.length; i++) {
                out[i] = reals[from[i]];
            }
            return new HostTensor(dtype, newDims, null, out);
        }
        long[] out = new long[from.length];
        for (int i = 0; i < from.length; i++) {
            out[i] = ints[from[i]];
        }
        return new HostTensor(dtype, newDims, out, null);
    }

    static long count(long[] dims) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    /** Row-major strides of {@code dims}. */
    static long[] strides(long[] dims) {
        long[] s = new long[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = acc;
            acc *= dims[i];
        }
        return s;
    }

    /** Numpy broadcast of two dim lists; null when they conflict. */
    static long[] broadcast(long[] a, long[] b) {
        int r = Math.max(a.length, b.length);
        long[] out = new long[r];
        for (int i = 0; i < r; i++) {
            long da = i < r - a.length ? 1 : a[i - (r - a.length)];
            long db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                return null;
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    /** For each element of the broadcast result {@code out}, the index of the element of {@code in} it reads. */
    static int[] broadcastIndex(long[] out, long[] in) {
        int n = (int) count(out);
        int[] idx = new int[n];
        long[] inStrides = strides(in);
        int offset = out.length - in.length;
        for (int lin = 0; lin < n; lin++) {
            long rem = lin;
            long src = 0;
            for (int d = out.length - 1; d >= 0; d--) {
                long coord = rem % out[d];
                rem /= out[d];
                int id = d - offset;
                if (id >= 0 && in[id] != 1) {
                    src += coord * inStrides[id];
                }
            }
            idx[lin] = (int) src;
        }
        return idx;
    }

    @Override
    public String toString() {
        return dtype.onnxName() + Arrays.toString(dims) + (isReal() ? Arrays.toString(reals) : Arrays.toString(ints));
    }
}
