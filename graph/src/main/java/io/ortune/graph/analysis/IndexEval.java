package io.ortune.graph.analysis;

import java.util.Arrays;
import java.util.List;

/** Indexing kernels of the constant evaluator: Gather, Concat, Slice. */
final class IndexEval {

    private IndexEval() {
    }

    static HostTensor gather(HostTensor data, HostTensor indices, long axisAttr) {
        int r = data.dims.length;
        int axis = ConstantEvaluator.axis(axisAttr, r);
        long outer = HostTensor.count(Arrays.copyOfRange(data.dims, 0, axis));
        long inner = HostTensor.count(Arrays.copyOfRange(data.dims, axis + 1, r));
        long size = data.dims[axis];
        int k = indices.size();
        int[] from = new int[(int) (outer * k * inner)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            for (int j = 0; j < k; j++) {
                long idx = indices.ints[j] < 0 ? indices.ints[j] + size : indices.ints[j];
                if (idx < 0 || idx >= size) {
                    return null;
                }
                for (long i = 0; i < inner; i++) {
                    from[p++] = (int) ((o * size + idx) * inner + i);
                }
            }
        }
        long[] dims = new long[r - 1 + indices.dims.length];
        System.arraycopy(data.dims, 0, dims, 0, axis);
        System.arraycopy(indices.dims, 0, dims, axis, indices.dims.length);
        System.arraycopy(data.dims, axis + 1, dims, axis + indices.dims.length, r - axis - 1);
        return data.gather(dims, from);
    }

    static HostTensor concat(List<HostTensor> xs, long axisAttr) {
        HostTensor first = xs.get(0);
        int r = first.dims.length;
        int axis = ConstantEvaluator.axis(axisAttr, r);
        long[] dims = first.dims.clone();
        dims[axis] = 0;
        for (HostTensor x : xs) {
            if (x.dtype != first.dtype || x.dims.length != r) {
                return null;
            }
            dims[axis] += x.dims[axis];
        }
        long outer = HostTensor.count(Arrays.copyOfRange(dims, 0, axis));
        long inner = HostTensor.count(Arrays.copyOfRange(dims, axis + 1, r));
        HostTensor all = joined(xs);
        int[] from = new int[(int) HostTensor.count(dims)];
        int p = 0;
        for (long o = 0; o < outer; o++) {
            int base = 0;
            for (HostTensor x : xs) {
                long block = x.dims[axis] * inner;
                for (long i = 0; i < block; i++) {
                    from[p++] = (int) (base + o * block + i);
                }
                base += x.size();
            }
        }
        return all.gather(dims, from);
    }

    /** All elements of {@code xs}, one after another, as one flat tensor. */
    private static HostTensor joined(List<HostTensor> xs) {
        int n = xs.stream().mapToInt(HostTensor::size).sum();
        long[] flat = {n};
        if (xs.get(0).isReal()) {
            double[] out = new double[n];
            int p = 0;
            for (HostTensor x : xs) {
                System.arraycopy(x.reals, 0, out, p, x.size());
                p += x.size();
            }
            return HostTensor.ofReals(xs.get(0).dtype, flat, out);
        }
        long[] out = new long[n];
        int p = 0;
        for (HostTensor x : xs) {
            System.arraycopy(x.ints, 0, out, p, x.size());
            p += x.size();
        }
        return HostTensor.ofInts(xs.get(0).dtype, flat, out);
    }

    /** Slice with inputs data, starts, ends, axes?, steps?. */
    static HostTensor slice(List<HostTensor> in) {
        HostTensor x = in.get(0);
        int r = x.dims.length;
        long[] starts = in.get(1).ints;
        long[] ends = in.get(2).ints;
        long[] axes = in.size() > 3 && in.get(3) != null ? in.get(3).ints : null;
        long[] steps = in.size() > 4 && in.get(4) != null ? in.get(4).ints : null;
        long[] start = new long[r];
        long[] step = new long[r];
        long[] dims = x.dims.clone();
        Arrays.fill(step, 1);
        for (int k = 0; k < starts.length; k++) {
            long a = axes == null ? k : axes[k];
            int ax = ConstantEvaluator.axis(a, r);
            long st = steps == null ? 1 : steps[k];
            if (st == 0) {
                throw new IllegalArgumentException("slice step 0 on axis " + ax);
            }
            long size = x.dims[ax];
            dims[ax] = SliceMath.length(size, starts[k], ends[k], st);
            start[ax] = SliceMath.firstIndex(size, starts[k], st);
            step[ax] = st;
        }
        long[] inStrides = HostTensor.strides(x.dims);
        int n = (int) HostTensor.count(dims);
        int[] from = new int[n];
        for (int lin = 0; lin < n; lin++) {
            long rem = lin;
            long src = 0;
            for (int d = r - 1; d >= 0; d--) {
                long coord = rem % dims[d];
                rem /= dims[d];
                src += (start[d] + coord * step[d]) * inStrides[d];
            }
            from[lin] = (int) src;
        }
        return x.gather(dims, from);
    }
}
