package io.ortune.graph.analysis;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;

import java.util.Arrays;
import java.util.List;
import java.util.Set;

/**
 * Evaluates the ops of shape computations on small constant tensors. Returns null for the cases it does not
 * support (an unsupported dtype or attribute, mixed dtypes, integer division by zero, a result too large to hold):
 * folding then simply leaves the node alone. A node that is malformed (an axis out of range, a missing input, an
 * unknown Cast target) fails with an {@link IllegalArgumentException} naming it, as running it would.
 */
final class ConstantEvaluator {

    /** Ops this evaluator can run. Shape and Size only need their input's static shape. */
    static final Set<String> OPS = Set.of("Identity", "Cast", "Shape", "Size", "Gather", "Concat", "Unsqueeze",
            "Squeeze", "Slice", "Add", "Sub", "Mul", "Div", "Equal", "Less", "Greater", "Not", "Where", "Range",
            "ConstantOfShape", "Reshape");

    private ConstantEvaluator() {
    }

    /**
     * Output 0 of {@code n}; {@code in} holds the constant inputs (null for absent ones), {@code staticShape} the
     * static shape of input 0 (for Shape and Size; may be null otherwise). Results over {@code maxElements}
     * are not computed.
     */
    static HostTensor eval(Node n, List<HostTensor> in, long[] staticShape, long maxElements) {
        try {
            boolean tooLarge = n.is("ConstantOfShape") && HostTensor.count(input(n, in, 0).ints) > maxElements
                    || n.is("Range") && rangeLength(n, in) > maxElements;
            return tooLarge ? null : dispatch(n, in, staticShape);
        } catch (ArithmeticException e) {
            return null; // a size past int range: too large to fold
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("node '" + n.name() + "' (" + n.opType() + "): cannot evaluate it on "
                    + "its constant inputs: " + (e.getMessage() == null ? e.toString() : e.getMessage()), e);
        }
    }

    /** Constant input {@code i}; fails when the node does not have it. */
    private static HostTensor input(Node n, List<HostTensor> in, int i) {
        HostTensor h = i < in.size() ? in.get(i) : null;
        if (h == null) {
            throw new IllegalArgumentException("input " + i + " is missing (it has " + n.inputCount() + " inputs)");
        }
        return h;
    }

    /** Checks {@code axis} against {@code rank} and makes it non-negative. */
    static int axis(long axis, int rank) {
        if (axis < -rank || axis >= rank) {
            throw new IllegalArgumentException("axis " + axis + " is out of range for rank " + rank);
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    private static double rangeLength(Node n, List<HostTensor> in) {
        double len = (input(n, in, 1).real(0) - input(n, in, 0).real(0)) / input(n, in, 2).real(0);
        return Double.isNaN(len) ? Double.POSITIVE_INFINITY : len;
    }

    private static HostTensor dispatch(Node n, List<HostTensor> in, long[] staticShape) {
        switch (n.opType()) {
            case "Identity":
                return input(n, in, 0);
            case "Cast":
                return ElementwiseEval.cast(input(n, in, 0), DataType.fromOnnx((int) n.intAttr("to", 0)));
            case "Shape":
                return shape(n, staticShape);
            case "Size":
                return HostTensor.ofInts(DataType.INT64, new long[0], new long[] {HostTensor.count(staticShape)});
            case "Gather":
                return IndexEval.gather(input(n, in, 0), input(n, in, 1), n.intAttr("axis", 0));
            case "Concat":
                return IndexEval.concat(in, n.intAttr("axis", 0));
            case "Unsqueeze":
                return unsqueeze(input(n, in, 0), axes(n, in));
            case "Squeeze":
                return squeeze(input(n, in, 0), axes(n, in));
            case "Slice":
                return IndexEval.slice(in);
            case "Not":
                return ElementwiseEval.not(input(n, in, 0));
            case "Where":
                return ElementwiseEval.where(input(n, in, 0), input(n, in, 1), input(n, in, 2));
            case "Range":
                return ElementwiseEval.range(input(n, in, 0), input(n, in, 1), input(n, in, 2));
            case "ConstantOfShape":
                return constantOfShape(n, input(n, in, 0));
            case "Reshape":
                return reshape(input(n, in, 0), input(n, in, 1), n.intAttr("allowzero", 0) != 0);
            default:
                return ElementwiseEval.binary(n.opType(), input(n, in, 0), input(n, in, 1));
        }
    }

    private static long[] axes(Node n, List<HostTensor> in) {
        if (in.size() > 1 && in.get(1) != null) {
            return in.get(1).ints;
        }
        return n.intsAttr("axes");
    }

    private static HostTensor shape(Node n, long[] dims) {
        int r = dims.length;
        long start = clamp(n.intAttr("start", 0), r);
        long end = clamp(n.intAttr("end", r), r);
        long[] out = end > start ? Arrays.copyOfRange(dims, (int) start, (int) end) : new long[0];
        return HostTensor.ofInts(DataType.INT64, new long[] {out.length}, out);
    }

    private static long clamp(long axis, int rank) {
        long a = axis < 0 ? axis + rank : axis;
        return Math.max(0, Math.min(rank, a));
    }

    private static HostTensor unsqueeze(HostTensor x, long[] axes) {
        int outRank = x.dims.length + axes.length;
        boolean[] inserted = new boolean[outRank];
        for (long a : axes) {
            int i = axis(a, outRank);
            if (inserted[i]) {
                throw new IllegalArgumentException("axes " + Arrays.toString(axes) + " repeat axis " + i);
            }
            inserted[i] = true;
        }
        long[] dims = new long[outRank];
        int next = 0;
        for (int i = 0; i < outRank; i++) {
            dims[i] = inserted[i] ? 1 : x.dims[next++];
        }
        return x.reshaped(dims);
    }

    private static HostTensor squeeze(HostTensor x, long[] axes) {
        int r = x.dims.length;
        boolean[] drop = new boolean[r];
        for (int i = 0; i < r; i++) {
            drop[i] = axes == null && x.dims[i] == 1;
        }
        if (axes != null) {
            for (long a : axes) {
                int i = axis(a, r);
                if (x.dims[i] != 1) {
                    return null;
                }
                drop[i] = true;
            }
        }
        return x.reshaped(Arrays.stream(range(r)).filter(i -> !drop[i]).mapToLong(i -> x.dims[i]).toArray());
    }

    private static int[] range(int n) {
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = i;
        }
        return out;
    }

    private static HostTensor constantOfShape(Node n, HostTensor shape) {
        Attribute a = n.attribute("value");
        Tensor t = a instanceof Attribute.TensorAttr ta ? ta.value() : Tensor.scalarFloat("value", 0f);
        HostTensor v = HostTensor.of(t);
        if (v == null || v.size() != 1) {
            return null;
        }
        long[] dims = shape.ints;
        int count = Math.toIntExact(HostTensor.count(dims));
        return v.gather(dims.clone(), new int[count]);
    }

    private static HostTensor reshape(HostTensor x, HostTensor shape, boolean allowZero) {
        long[] dims = shape.ints.clone();
        int infer = -1;
        long known = 1;
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] == 0 && !allowZero) {
                dims[i] = x.dims[i];
            }
            if (dims[i] == -1) {
                infer = i;
            } else {
                known *= dims[i];
            }
        }
        long total = HostTensor.count(x.dims);
        if (infer >= 0) {
            if (known == 0 || total % known != 0) {
                return null;
            }
            dims[infer] = total / known;
        }
        return HostTensor.count(dims) == total ? x.reshaped(dims) : null;
    }
}
