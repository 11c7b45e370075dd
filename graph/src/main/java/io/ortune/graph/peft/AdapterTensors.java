package io.ortune.graph.peft;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.Arrays;
import java.util.SplittableRandom;

/** The adapter tensors the passes create: filled, and seeded normal draws, in float32 or float64. */
final class AdapterTensors {

    private AdapterTensors() {
    }

    static Tensor filled(String name, DataType dtype, long[] dims, double value) {
        int n = count(dims, name);
        if (dtype == DataType.FLOAT) {
            float[] v = new float[n];
            Arrays.fill(v, (float) value);
            return Tensor.ofFloats(name, dims, v);
        }
        if (dtype == DataType.DOUBLE) {
            double[] v = new double[n];
            Arrays.fill(v, value);
            return Tensor.ofDoubles(name, dims, v);
        }
        throw unsupported(name, dtype);
    }

    /** Normal(0, std) draws from {@code rnd}, row-major. */
    static Tensor normal(String name, DataType dtype, long[] dims, double std, SplittableRandom rnd) {
        double[] d = new double[count(dims, name)];
        for (int i = 0; i < d.length; i++) {
            d[i] = std * gaussian(rnd);
        }
        return of(name, dtype, dims, d);
    }

    /** Uniform(−bound, bound) draws from {@code rnd}, row-major (PyTorch's default Linear initialisation). */
    static Tensor uniform(String name, DataType dtype, long[] dims, double bound, SplittableRandom rnd) {
        double[] d = new double[count(dims, name)];
        for (int i = 0; i < d.length; i++) {
            d[i] = bound * (2 * rnd.nextDouble() - 1);
        }
        return of(name, dtype, dims, d);
    }

    static Tensor of(String name, DataType dtype, long[] dims, double[] d) {
        if (dtype == DataType.DOUBLE) {
            return Tensor.ofDoubles(name, dims, d);
        }
        if (dtype == DataType.FLOAT) {
            float[] f = new float[d.length];
            for (int i = 0; i < d.length; i++) {
                f[i] = (float) d[i];
            }
            return Tensor.ofFloats(name, dims, f);
        }
        throw unsupported(name, dtype);
    }

    /** A float or double tensor's values as doubles. */
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
        throw unsupported(t.name(), t.dtype());
    }

    /** A standard normal draw (Box–Muller), so results depend only on the seed, not on JDK internals. */
    static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    private static int count(long[] dims, String name) {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("adapter tensor '" + name + "' of " + n + " elements is too large");
        }
        return (int) n;
    }

    private static IllegalArgumentException unsupported(String name, DataType dtype) {
        return new IllegalArgumentException("adapter tensor '" + name + "': the base weights are "
                + dtype.onnxName() + "; PEFT passes create float or double adapters only (upcast the model first)");
    }
}
