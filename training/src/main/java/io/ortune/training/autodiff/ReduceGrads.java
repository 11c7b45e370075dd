package io.ortune.training.autodiff;

import static io.ortune.training.autodiff.GradContext.grads;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reductions: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ReduceSumSquare, ReduceL2. The output gradient gets
 * its reduced axes back (Unsqueeze when {@code keepdims=0}) and is broadcast over them. Axes may be an
 * attribute (older opsets), a constant input, or a run-time input.
 */
final class ReduceGrads {

    private ReduceGrads() {
    }

    static void register(Map<String, GradientRule> m) {
        m.put("ReduceSum", ReduceGrads::sum);
        m.put("ReduceMean", ReduceGrads::mean);
        m.put("ReduceMax", ReduceGrads::maxMin);
        m.put("ReduceMin", ReduceGrads::maxMin);
        m.put("ReduceSumSquare", ReduceGrads::sumSquare);
        m.put("ReduceL2", ReduceGrads::l2);
    }

    /** y = sum over axes: g broadcast back. */
    static List<Value> sum(GradContext c, Node n, List<Value> gy) {
        Value x = c.input(n, 0);
        return grads(c.builder().expand(keepDims(c, n, gy.get(0)), c.shapeOf(x)));
    }

    /** y = mean over axes: g / count broadcast back. */
    static List<Value> mean(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value g = keepDims(c, n, gy.get(0));
        return grads(b.expand(b.div(g, count(c, n, g)), c.shapeOf(x)));
    }

    /** y = max (min) over axes: g shared evenly by the elements equal to y (as PyTorch's amax does). */
    static List<Value> maxMin(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value g = keepDims(c, n, gy.get(0));
        Value y = keepDims(c, n, c.output(n, 0));
        Value mask = c.castLike(b.equal(x, y), g);
        Value ties = reduceSumKeep(c, n, mask);
        return grads(b.mul(mask, b.div(g, ties)));
    }

    /** y = sum of x^2: 2 x g. */
    static List<Value> sumSquare(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value g = keepDims(c, n, gy.get(0));
        return grads(b.mul(b.mul(x, c.scalar(x, 2.0)), g));
    }

    /** y = sqrt(sum of x^2): x g / y. */
    static List<Value> l2(GradContext c, Node n, List<Value> gy) {
        GraphBuilder b = c.builder();
        Value x = c.input(n, 0);
        Value g = keepDims(c, n, gy.get(0));
        Value y = keepDims(c, n, c.output(n, 0));
        return grads(b.mul(x, b.div(g, y)));
    }

    /** The reduced axes as a constant (from input 1 or the attribute), or null when they are a run-time input. */
    private static long[] constAxes(Node n) {
        if (n.input(1) != null) {
            return ConstantValues.longs(ConstantValues.of(n.input(1)));
        }
        long[] attr = n.intsAttr("axes");
        return attr != null ? attr : new long[0];
    }

    /** True when the node reduces nothing (empty axes with noop_with_empty_axes). */
    private static boolean noop(Node n) {
        long[] axes = constAxes(n);
        return axes != null && axes.length == 0 && n.intAttr("noop_with_empty_axes", 0) != 0;
    }

    /** {@code v} (shaped like the output) with the reduced axes restored as size 1. */
    private static Value keepDims(GradContext c, Node n, Value v) {
        if (n.intAttr("keepdims", 1) != 0 || noop(n)) {
            return v;
        }
        long[] axes = constAxes(n);
        if (axes != null && axes.length == 0) {
            return v;
        }
        Value axesValue = axes != null ? c.builder().constLongs(axes) : c.input(n, 1);
        return c.builder().op("", "Unsqueeze", List.of(v, axesValue));
    }

    /** ReduceSum of {@code v} over the node's axes, keeping dims. */
    private static Value reduceSumKeep(GradContext c, Node n, Value v) {
        GraphBuilder b = c.builder();
        long[] axes = constAxes(n);
        List<Value> in = new ArrayList<>(List.of(v));
        if (axes == null) {
            in.add(c.input(n, 1));
        } else if (axes.length > 0) {
            in.add(b.constLongs(axes));
        }
        return b.op("", "ReduceSum", in, new Attribute.IntAttr("keepdims", 1),
                new Attribute.IntAttr("noop_with_empty_axes", n.intAttr("noop_with_empty_axes", 0)));
    }

    /** The number of elements reduced into each output element, in {@code like}'s dtype. */
    private static Value count(GradContext c, Node n, Value like) {
        GraphBuilder b = c.builder();
        long[] in = GradContext.staticDims(n.input(0));
        long[] out = GradContext.staticDims(n.output(0));
        if (in != null && out != null) {
            long a = 1;
            long o = 1;
            for (long d : in) {
                a *= d;
            }
            for (long d : out) {
                o *= d;
            }
            return c.scalar(like, o == 0 ? 1 : (double) a / o);
        }
        DataType t = GradContext.dtypeOf(like);
        return b.div(b.cast(b.size(c.input(n, 0)), t), b.cast(b.size(c.output(n, 0)), t));
    }
}
