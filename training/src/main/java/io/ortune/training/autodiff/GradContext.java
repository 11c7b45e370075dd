package io.ortune.training.autodiff;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * What a {@link GradientRule} works with: the builder appending to the differentiated graph, the forward values
 * (possibly recomputed copies), which inputs need a gradient, and helpers for shapes and broadcasting.
 */
public final class GradContext {

    /** The domain of ONNX Runtime's gradient kernels. */
    public static final String MS_DOMAIN = "com.microsoft";

    private final GraphBuilder b;
    private final AutodiffOptions options;
    private final Reachability reach;
    private final Recomputation recompute;
    private final Map<String, Integer> ortKernels;

    GradContext(GraphBuilder b, AutodiffOptions options, Reachability reach, Recomputation recompute,
                Map<String, Integer> ortKernels) {
        this.b = b;
        this.options = options;
        this.reach = reach;
        this.recompute = recompute;
        this.ortKernels = ortKernels;
    }

    /** The builder; every node it makes lands in the differentiated model. */
    public GraphBuilder builder() {
        return b;
    }

    public AutodiffOptions options() {
        return options;
    }

    /** Whether rules should emit ONNX Runtime's fused gradient kernels. */
    public boolean fused() {
        return options.useOrtGradientKernels();
    }

    /** The model's default-domain opset. */
    public long opset() {
        return b.opset();
    }

    /** Forward input {@code i} of {@code n} as the backward graph should read it (a recomputed copy, maybe). */
    public Value input(Node n, int i) {
        Value v = n.input(i);
        return recompute == null || v == null ? v : recompute.map(v);
    }

    /** Forward output {@code i} of {@code n} as the backward graph should read it. */
    public Value output(Node n, int i) {
        Value v = n.output(i);
        return recompute == null ? v : recompute.map(v);
    }

    /** Whether input {@code i} of {@code n} needs a gradient (lies on a path from a trainable parameter). */
    public boolean wants(Node n, int i) {
        Value v = n.input(i);
        return v != null && reach.relevant(v);
    }

    /** A rule's result: one entry per input, nulls allowed. */
    public static List<Value> grads(Value... perInput) {
        return Arrays.asList(perInput);
    }

    /** Sums {@code grad} over the axes along which {@code target} was broadcast, back to {@code target}'s shape. */
    public Value unbroadcast(Value grad, Value target) {
        return Broadcasting.unbroadcast(this, grad, target, null, 0);
    }

    /**
     * The gradient of operand {@code i} of the broadcasting node {@code n}, given the gradient {@code grad} of its
     * output: like {@link #unbroadcast}, but knowing the other operands, so an axis that none of them can
     * stretch is left alone even when its dims are symbolic or unknown (no run-time shape arithmetic).
     */
    public Value unbroadcastOperand(Node n, int i, Value grad) {
        return unbroadcastAgainst(grad, input(n, i), otherShapes(n, i), 0);
    }

    /**
     * Like {@link #unbroadcastOperand}, ignoring the last {@code exempt} axes of every operand (MatMul's matrix
     * dims) and taking {@code target} for the operand's value.
     */
    public Value unbroadcastAgainst(Value grad, Value target, List<Shape> others, int exempt) {
        return Broadcasting.unbroadcast(this, grad, target, others, exempt);
    }

    /** The shapes of every input of {@code n} but input {@code i}. */
    public static List<Shape> otherShapes(Node n, int i) {
        List<Shape> out = new java.util.ArrayList<>();
        for (int k = 0; k < n.inputCount(); k++) {
            if (k != i && n.input(k) != null) {
                out.add(n.input(k).shape());
            }
        }
        return out;
    }

    /** The shape of {@code v} as an int64 vector: a constant when known statically, else a Shape node. */
    public Value shapeOf(Value v) {
        long[] dims = staticDims(v);
        return dims != null ? b.constLongs(dims) : b.shape(v);
    }

    /** {@code x} reshaped to the shape of {@code like}. */
    public Value reshapeLike(Value x, Value like) {
        return b.reshape(x, shapeOf(like));
    }

    /** A scalar constant of {@code like}'s dtype. */
    public Value scalar(Value like, double value) {
        return b.scalarLike(typed(like), value);
    }

    /** Zeros of {@code like}'s shape and dtype. */
    public Value zerosLike(Value like) {
        DataType t = dtypeOf(like);
        Tensor zero = Tensor.ofBytes("value", t, new long[] {1}, new byte[(int) t.byteSize(1)]);
        return b.constantOfShape(shapeOf(like), zero);
    }

    /** {@code bool} mask cast to {@code like}'s dtype. */
    public Value castLike(Value x, Value like) {
        return b.cast(x, dtypeOf(like));
    }

    /**
     * A {@code com.microsoft} node (ONNX Runtime gradient kernel) with one output typed {@code type}; counted in the
     * report.
     */
    public Value ortKernel(String opType, List<Value> inputs, ValueType type, Attribute... attrs) {
        return ortKernel(opType, inputs, 1, type, attrs).get(0);
    }

    /** A {@code com.microsoft} node with {@code outputs} outputs, the first typed {@code firstType}. */
    public List<Value> ortKernel(String opType, List<Value> inputs, int outputs, ValueType firstType,
                                 Attribute... attrs) {
        ortKernels.merge(opType, 1, Integer::sum);
        List<Value> outs = b.op(MS_DOMAIN, opType, inputs, outputs, attrs);
        if (firstType != null) {
            outs.get(0).setType(firstType);
        }
        return outs;
    }

    /** A failure for {@code n} that names it. */
    public UnsupportedGradientException unsupported(Node n, String problem) {
        return new UnsupportedGradientException(GradientRules.key(n.domain(), n.opType()), n.name(), problem);
    }

    /** Static dims of {@code v}, or null when some are not known. */
    public static long[] staticDims(Value v) {
        Shape s = v == null ? null : v.shape();
        return s == null ? null : s.concrete().orElse(null);
    }

    /** Rank of {@code v}, or -1 when not known. */
    public static int rank(Value v) {
        Shape s = v == null ? null : v.shape();
        return s != null && s.hasRank() ? s.rank() : -1;
    }

    /** The element type of {@code v}; fails clearly when it is not known. */
    public static DataType dtypeOf(Value v) {
        DataType t = v.dtype();
        if (t == null) {
            throw new IllegalStateException("value '" + v.name() + "' has no known element type; run shape "
                    + "inference on the forward model first");
        }
        return t;
    }

    private static Value typed(Value v) {
        dtypeOf(v);
        return v;
    }
}
