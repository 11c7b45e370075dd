package io.ortune.graph.analysis;

import io.ortune.graph.ir.DataType;

/** Elementwise kernels of the constant evaluator: arithmetic and comparisons with broadcasting, Where, Cast, Range. */
final class ElementwiseEval {

    private ElementwiseEval() {
    }

    /** Add, Sub, Mul, Div, Equal, Less, Greater; null when not evaluable (mixed dtypes, integer division by 0). */
    static HostTensor binary(String op, HostTensor a, HostTensor b) {
        if (a.dtype != b.dtype) {
            return null;
        }
        long[] dims = HostTensor.broadcast(a.dims, b.dims);
        if (dims == null) {
            return null;
        }
        int[] ia = HostTensor.broadcastIndex(dims, a.dims);
        int[] ib = HostTensor.broadcastIndex(dims, b.dims);
        boolean compare = op.equals("Equal") || op.equals("Less") || op.equals("Greater");
        if (a.isReal()) {
            double[] out = new double[ia.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = real(op, a.reals[ia[i]], b.reals[ib[i]]);
            }
            return compare ? HostTensor.of(DataType.BOOL, dims, out) : HostTensor.ofReals(a.dtype, dims, out);
        }
        long[] out = new long[ia.length];
        for (int i = 0; i < out.length; i++) {
            long y = b.ints[ib[i]];
            if (op.equals("Div") && y == 0) {
                return null;
            }
            out[i] = integer(op, a.ints[ia[i]], y);
        }
        return HostTensor.ofInts(compare ? DataType.BOOL : a.dtype, dims, out);
    }

    private static double real(String op, double x, double y) {
        switch (op) {
            case "Add":
                return x + y;
            case "Sub":
                return x - y;
            case "Mul":
                return x * y;
            case "Div":
                return x / y;
            case "Equal":
                return x == y ? 1 : 0;
            case "Less":
                return x < y ? 1 : 0;
            default:
                return x > y ? 1 : 0;
        }
    }

    private static long integer(String op, long x, long y) {
        switch (op) {
            case "Add":
                return x + y;
            case "Sub":
                return x - y;
            case "Mul":
                return x * y;
            case "Div":
                return x / y;
            case "Equal":
                return x == y ? 1 : 0;
            case "Less":
                return x < y ? 1 : 0;
            default:
                return x > y ? 1 : 0;
        }
    }

    static HostTensor where(HostTensor c, HostTensor x, HostTensor y) {
        if (c.dtype != DataType.BOOL || x.dtype != y.dtype) {
            return null;
        }
        long[] dims = HostTensor.broadcast(c.dims, x.dims);
        dims = dims == null ? null : HostTensor.broadcast(dims, y.dims);
        if (dims == null) {
            return null;
        }
        int[] ic = HostTensor.broadcastIndex(dims, c.dims);
        int[] ix = HostTensor.broadcastIndex(dims, x.dims);
        int[] iy = HostTensor.broadcastIndex(dims, y.dims);
        if (x.isReal()) {
            double[] out = new double[ic.length];
            for (int i = 0; i < out.length; i++) {
                out[i] = c.ints[ic[i]] != 0 ? x.reals[ix[i]] : y.reals[iy[i]];
            }
            return HostTensor.ofReals(x.dtype, dims, out);
        }
        long[] out = new long[ic.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = c.ints[ic[i]] != 0 ? x.ints[ix[i]] : y.ints[iy[i]];
        }
        return HostTensor.ofInts(x.dtype, dims, out);
    }

    static HostTensor not(HostTensor x) {
        if (x.dtype != DataType.BOOL) {
            return null;
        }
        long[] out = new long[x.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = x.ints[i] == 0 ? 1 : 0;
        }
        return HostTensor.ofInts(DataType.BOOL, x.dims, out);
    }

    static HostTensor cast(HostTensor x, DataType to) {
        if (!HostTensor.supports(to)) {
            return null;
        }
        if (!x.isReal() && !HostTensor.isReal(to)) {
            return HostTensor.ofInts(to, x.dims, x.ints);
        }
        double[] v = new double[x.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = x.real(i);
        }
        return HostTensor.of(to, x.dims, v);
    }

    static HostTensor range(HostTensor start, HostTensor limit, HostTensor delta) {
        if (start.dtype != limit.dtype || start.dtype != delta.dtype || start.size() != 1 || limit.size() != 1
                || delta.size() != 1 || delta.real(0) == 0) {
            return null;
        }
        if (start.isReal()) {
            double s = start.real(0);
            double d = delta.real(0);
            int n = (int) Math.max(0, Math.ceil((limit.real(0) - s) / d));
            double[] out = new double[n];
            for (int i = 0; i < n; i++) {
                out[i] = s + i * d;
            }
            return HostTensor.ofReals(start.dtype, new long[] {n}, out);
        }
        long s = start.ints[0];
        long d = delta.ints[0];
        int n = (int) Math.max(0, Math.ceil((double) (limit.ints[0] - s) / d));
        long[] out = new long[n];
        for (int i = 0; i < n; i++) {
            out[i] = s + i * d;
        }
        return HostTensor.ofInts(start.dtype, new long[] {n}, out);
    }
}
