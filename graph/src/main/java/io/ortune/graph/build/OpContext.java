package io.ortune.graph.build;

import io.ortune.graph.analysis.ConstantValues;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * What an {@link OpRule} sees of a node (built or existing): inputs, attributes, output count, opset; with the
 * helpers rules use to check them ({@link #arity}, {@link #requireDtype}, {@link #requiredIntAttr}...) and to
 * fail with a message naming the op and node ({@link #fail}).
 */
public final class OpContext {

    public static final Predicate<DataType> NUMERIC = d -> d.isFloatingPoint() || d.isInteger();
    public static final Predicate<DataType> FLOATING = DataType::isFloatingPoint;
    public static final Predicate<DataType> INDEX = d -> d == DataType.INT64 || d == DataType.INT32;

    private final String opType;
    private final String nodeName;
    private final List<Value> inputs;
    private final Map<String, Attribute> attrs;
    private final int outputCount;
    private final long opset;

    OpContext(String opType, String nodeName, List<Value> inputs, Map<String, Attribute> attrs, int outputCount,
              long opset) {
        this.opType = opType;
        this.nodeName = nodeName;
        this.inputs = inputs;
        this.attrs = attrs;
        this.outputCount = outputCount;
        this.opset = opset;
    }

    public String opType() {
        return opType;
    }

    public long opset() {
        return opset;
    }

    public int outputCount() {
        return outputCount;
    }

    public int inputCount() {
        return inputs.size();
    }

    public OpCheckException fail(String problem) {
        return new OpCheckException(opType, nodeName, problem);
    }

    // ---- inputs ------------------------------------------------------------------------------------------------

    /** Checks the input count and that the first {@code min} inputs are present. */
    public void arity(int min, int max) {
        int n = inputs.size();
        if (n < min || n > max) {
            String expected = min == max ? Integer.toString(min)
                    : max == Integer.MAX_VALUE ? "at least " + min : min + " to " + max;
            throw fail("expected " + expected + " input" + (min == 1 && max == 1 ? "" : "s") + ", received " + n);
        }
        for (int i = 0; i < min; i++) {
            if (inputs.get(i) == null) {
                throw fail("required input " + i + " is missing");
            }
        }
    }

    /** Checks the number of outputs the node declares. */
    public void outputs(int min, int max) {
        if (outputCount < min || outputCount > max) {
            throw fail("expected " + (min == max ? Integer.toString(min) : min + " to " + max) + " outputs, has "
                    + outputCount);
        }
    }

    public Value input(int i) {
        return i < inputs.size() ? inputs.get(i) : null;
    }

    public boolean present(int i) {
        return input(i) != null;
    }

    public DataType dtype(int i) {
        Value v = input(i);
        return v == null ? null : v.dtype();
    }

    /** Shape of input {@code i}; {@link Shape#UNKNOWN_RANK} when not known. */
    public Shape shape(int i) {
        Value v = input(i);
        Shape s = v == null ? null : v.shape();
        if (s == null) {
            Tensor t = ConstantValues.of(v);
            return t == null ? Shape.UNKNOWN_RANK : Shape.ofLongs(t.dims());
        }
        return s;
    }

    /** Rank of input {@code i}, or -1. */
    public int rank(int i) {
        Shape s = shape(i);
        return s.hasRank() ? s.rank() : -1;
    }

    public Tensor constant(int i) {
        return ConstantValues.of(input(i));
    }

    /** Values of a constant integer input, or null when the input is absent or not constant. */
    public long[] constLongs(int i) {
        return ConstantValues.longs(constant(i));
    }

    public String describe(int i) {
        Value v = input(i);
        return "input " + i + (v == null ? "" : " '" + v.name() + "'");
    }

    /** The common dtype of the given inputs (absent and untyped ones skipped); fails when two differ. */
    public DataType sameDtype(int... idx) {
        DataType common = null;
        int first = -1;
        for (int i : idx) {
            DataType d = dtype(i);
            if (d == null) {
                continue;
            }
            if (common == null) {
                common = d;
                first = i;
            } else if (d != common) {
                throw fail(idx.length == 2 && inputs.size() <= 2
                        ? "input dtypes differ: " + common.onnxName() + " vs " + d.onnxName()
                        : "input dtypes differ: input " + first + " is " + common.onnxName() + ", input " + i
                        + " is " + d.onnxName());
            }
        }
        return common;
    }

    /** Fails when input {@code i} has a known dtype outside {@code allowed}. */
    public void requireDtype(int i, Predicate<DataType> allowed, String expected) {
        DataType d = dtype(i);
        if (d != null && !allowed.test(d)) {
            throw fail(describe(i) + " is " + d.onnxName() + ", expected " + expected);
        }
    }

    public void requireDtype(int i, DataType expected) {
        requireDtype(i, d -> d == expected, expected.onnxName());
    }

    /** Fails when input {@code i} has a known rank other than 0. */
    public void requireScalar(int i, String what) {
        Shape s = shape(i);
        if (s.hasRank() && s.rank() != 0 && !(s.rank() == 1 && Dims.isOne(s.dim(0)))) {
            throw fail(describe(i) + " (" + what + ") must be a scalar, has shape " + s);
        }
    }

    // ---- attributes --------------------------------------------------------------------------------------------

    public Attribute attr(String name) {
        return attrs.get(name);
    }

    public long intAttr(String name, long defaultValue) {
        Attribute a = attrs.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.IntAttr i) {
            return i.value();
        }
        throw fail("attribute '" + name + "' must be an int, is " + a.getClass().getSimpleName());
    }

    public long requiredIntAttr(String name) {
        if (!attrs.containsKey(name)) {
            throw fail("attribute '" + name + "' is required");
        }
        return intAttr(name, 0);
    }

    public float floatAttr(String name, float defaultValue) {
        Attribute a = attrs.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.FloatAttr f) {
            return f.value();
        }
        throw fail("attribute '" + name + "' must be a float, is " + a.getClass().getSimpleName());
    }

    public String stringAttr(String name, String defaultValue) {
        Attribute a = attrs.get(name);
        if (a == null) {
            return defaultValue;
        }
        if (a instanceof Attribute.StringAttr s) {
            return s.value();
        }
        throw fail("attribute '" + name + "' must be a string, is " + a.getClass().getSimpleName());
    }

    /** An ints attribute, or null when absent. */
    public long[] intsAttr(String name) {
        Attribute a = attrs.get(name);
        if (a == null) {
            return null;
        }
        if (a instanceof Attribute.IntsAttr i) {
            return i.toArray();
        }
        throw fail("attribute '" + name + "' must be a list of ints, is " + a.getClass().getSimpleName());
    }

    /** Normalizes a possibly negative axis against {@code rank}; fails when out of range. */
    public int axis(long axis, int rank, String what) {
        if (axis < -rank || axis >= rank) {
            throw fail(what + " " + axis + " is out of range for rank " + rank + " (allowed " + (-rank) + ".."
                    + (rank - 1) + ")");
        }
        return (int) (axis < 0 ? axis + rank : axis);
    }

    /** Normalizes several axes; fails on a repeated axis. */
    public int[] axes(long[] axes, int rank, String what) {
        int[] out = new int[axes.length];
        boolean[] seen = new boolean[rank];
        for (int k = 0; k < axes.length; k++) {
            out[k] = axis(axes[k], rank, what);
            if (seen[out[k]]) {
                throw fail(what + "s " + Arrays.toString(axes) + " repeat axis " + out[k]);
            }
            seen[out[k]] = true;
        }
        return out;
    }

    // ---- results -----------------------------------------------------------------------------------------------

    /** A tensor type, or null (unknown) when the dtype is unknown. */
    public static ValueType tensor(DataType dtype, Shape shape) {
        return dtype == null ? null : ValueType.tensor(dtype, shape == null ? Shape.UNKNOWN_RANK : shape);
    }

    /** One type per output: the given ones first, then unknown. */
    public List<ValueType> result(ValueType... types) {
        List<ValueType> out = new ArrayList<>(outputCount);
        for (int i = 0; i < outputCount; i++) {
            out.add(i < types.length ? types[i] : null);
        }
        return out;
    }
}
