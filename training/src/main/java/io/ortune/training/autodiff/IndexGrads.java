package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;
import static io.ortune.training.autodiff.GradContext.rank;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Ops that select or assemble parts of tensors: Concat, Split, Slice, Gather, GatherElements. Gathers scatter
 * their gradient back with add-reduction (duplicate indices, e.g. a token seen twice, sum). With ONNX Runtime
 * kernels: SliceGrad, GatherGrad, GatherElementsGrad; below opset 16 (no scatter reduction) the gathers always
 * use GatherGrad/GatherElementsGrad.
 */
final class IndexGrads {

    private IndexGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("Concat", IndexGrads::concat);
        m.put("Split", IndexGrads::split);
        m.put("Slice", IndexGrads::slice);
        m.put("Gather", IndexGrads::gather);
        m.put("GatherElements", IndexGrads::gatherElements);
    }

    /** y = concat(x0, x1, ...): g split back into the inputs' extents along the axis. */
    static List<Value> concat(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        int r = rank(n.output(0));
        if (r < 0) {
            throw c.unsupported(n, "the rank of its output must be known");
        }
        long axisAttr = n.intAttr("axis", 0);
        int axis = (int) (axisAttr < 0 ? axisAttr + r : axisAttr);
        Value splits = concatExtents(c, n, axis);
        List<Value> parts = b.op("", "Split", List.of(gy.get(0), splits), n.inputCount(),
                new Attribute.IntAttr("axis", axis));
        List<Value> out = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            out.add(c.wants(n, i) ? parts.get(i) : null);
        }
        return out;
    }

    /** The extent of every Concat input along {@code axis}: a constant when all are known, else Shape slices. */
    private static Value concatExtents(GradContext c, Node n, int axis) {
        GraphBuilder b = c.builder();
        long[] known = new long[n.inputCount()];
        boolean allKnown = true;
        for (int i = 0; i < n.inputCount(); i++) {
            long[] dims = GradContext.staticDims(n.input(i));
            known[i] = dims == null ? -1 : dims[axis];
            allKnown &= dims != null;
        }
        if (allKnown) {
            return b.constLongs(known);
        }
        List<Value> sizes = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            sizes.add(known[i] >= 0 ? b.constLongs(known[i]) : b.shape(c.input(n, i), axis, axis + 1));
        }
        return b.concat(0, sizes.toArray(new Value[0]));
    }

    /** ys = split(x): the output gradients concatenated, zeros for outputs nothing flowed into. */
    static List<Value> split(GradContext c, Node n, List<Value> gy) {
        List<Value> pieces = new ArrayList<>();
        for (int i = 0; i < gy.size(); i++) {
            pieces.add(gy.get(i) != null ? gy.get(i) : c.zerosLike(c.output(n, i)));
        }
        return grads(c.builder().concat(n.intAttr("axis", 0), pieces.toArray(new Value[0])));
    }

    /** y = x[starts:ends:steps]: g placed back into zeros of x's shape. */
    static List<Value> slice(GradContext c, Node n, List<Value> gy) {
        Value g = gy.get(0);
        Value x = c.input(n, 0);
        List<Value> rest = new ArrayList<>();
        for (int i = 1; i < n.inputCount(); i++) {
            rest.add(c.input(n, i));
        }
        if (c.fused()) {
            List<Value> in = new ArrayList<>(List.of(g, c.shapeOf(x)));
            in.addAll(rest);
            return grads(c.ortKernel("SliceGrad", in, n.input(0).type()));
        }
        Value padded = SlicePadding.tryPad(c, n, g);
        return grads(padded != null ? padded : scatterBySlicedIndex(c, x, g, rest));
    }

    /**
     * General slice gradient: slice a tensor of flat indices of x the same way, then scatter g to those indices.
     * Exact for any starts, ends, axes and (negative) steps, since it reuses Slice's own semantics.
     */
    private static Value scatterBySlicedIndex(GradContext c, Value x, Value g, List<Value> sliceArgs) {
        GraphBuilder b = c.builder();
        Value shape = c.shapeOf(x);
        Value count = b.size(x);
        Value flat = b.range(b.constLong(0), count, b.constLong(1));
        List<Value> sliceIn = new ArrayList<>();
        sliceIn.add(b.reshape(flat, shape));
        sliceIn.addAll(sliceArgs);
        Value picked = b.op("", "Slice", sliceIn);
        Value zeros = b.constantOfShape(b.reshape(count, 1), zeroOf(x));
        Value scattered = b.op("", "ScatterElements", List.of(zeros, b.reshape(picked, -1), b.reshape(g, -1)),
                new Attribute.IntAttr("axis", 0));
        return b.reshape(scattered, shape);
    }

    /** y = gather(data, indices, axis): g scatter-added into zeros of data's shape. */
    static List<Value> gather(GradContext c, Node n, List<Value> gy) {
        if (!c.wants(n, 0)) {
            return null;
        }
        Value g = gy.get(0);
        Value data = c.input(n, 0);
        Value idx = c.input(n, 1);
        long axis = n.intAttr("axis", 0);
        if (c.fused() || c.opset() < 16) {
            return grads(c.ortKernel("GatherGrad", List.of(c.shapeOf(data), idx, g), n.input(0).type(),
                    new Attribute.IntAttr("axis", axis)));
        }
        int r = rank(n.input(0));
        int q = rank(n.input(1));
        if (r < 0 || q < 0) {
            throw c.unsupported(n, "the ranks of data and indices must be known");
        }
        int a = (int) (axis < 0 ? axis + r : axis);
        return grads(GatherScatter.scatterAdd(c, data, normalized(c, idx, data, a), g, a, r, q));
    }

    /** y = gather_elements(data, indices, axis): g scatter-added at the same indices. */
    static List<Value> gatherElements(GradContext c, Node n, List<Value> gy) {
        if (!c.wants(n, 0)) {
            return null;
        }
        Value g = gy.get(0);
        Value data = c.input(n, 0);
        Value idx = c.input(n, 1);
        long axis = n.intAttr("axis", 0);
        if (c.fused() || c.opset() < 16) {
            return grads(c.ortKernel("GatherElementsGrad", List.of(g, c.shapeOf(data), idx), n.input(0).type(),
                    new Attribute.IntAttr("axis", axis)));
        }
        GraphBuilder b = c.builder();
        return grads(b.op("", "ScatterElements", List.of(c.zerosLike(data), idx, g),
                new Attribute.IntAttr("axis", axis), new Attribute.StringAttr("reduction", "add")));
    }

    /** int64 indices with negatives wrapped by the size of data's {@code axis}. */
    private static Value normalized(GradContext c, Value idx, Value data, int axis) {
        GraphBuilder b = c.builder();
        Value i64 = idx.dtype() == DataType.INT64 ? idx : b.cast(idx, DataType.INT64);
        long[] dims = GradContext.staticDims(data);
        Value size = dims != null ? b.constLong(dims[axis]) : b.reshape(b.shape(data, axis, axis + 1), new long[0]);
        return b.where(b.less(i64, b.constLong(0)), b.add(i64, size), i64);
    }

    static io.ortune.graph.ir.Tensor zeroOf(Value like) {
        DataType t = GradContext.dtypeOf(like);
        return io.ortune.graph.ir.Tensor.ofBytes("value", t, new long[] {1}, new byte[(int) t.byteSize(1)]);
    }
}
