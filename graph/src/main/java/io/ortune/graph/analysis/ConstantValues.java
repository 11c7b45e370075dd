package io.ortune.graph.analysis;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.List;

/**
 * The constant a value holds, when it holds one: an initializer, or the output of a {@code Constant} node
 * ({@code value}, {@code value_float(s)}, {@code value_int(s)}). Sparse and string constants are not read.
 *
 * <p>An initializer that is also listed as a graph input can be overridden at run time; callers that rewrite
 * graphs (constant folding) must exclude those themselves, since a {@link Value} does not know its graph.
 */
public final class ConstantValues {

    private ConstantValues() {
    }

    /** The tensor {@code v} always holds, or null. */
    public static Tensor of(Value v) {
        if (v == null) {
            return null;
        }
        if (v.constant() != null) {
            return v.constant();
        }
        Node p = v.producer();
        if (p != null && p.is("Constant")) {
            return fromConstantNode(p);
        }
        return null;
    }

    /** The tensor a {@code Constant} node produces, named after its output; null for sparse/string forms. */
    public static Tensor fromConstantNode(Node n) {
        String name = n.outputs().isEmpty() ? n.name() : n.output(0).name();
        for (Attribute a : n.attributes().values()) {
            Tensor t = fromAttribute(name, a);
            if (t != null) {
                return t;
            }
        }
        return null;
    }

    private static Tensor fromAttribute(String name, Attribute a) {
        if (a instanceof Attribute.TensorAttr t && a.name().equals("value")) {
            return t.value().withName(name);
        }
        if (a instanceof Attribute.FloatAttr f && a.name().equals("value_float")) {
            return Tensor.scalarFloat(name, f.value());
        }
        if (a instanceof Attribute.IntAttr i && a.name().equals("value_int")) {
            return Tensor.scalarLong(name, i.value());
        }
        if (a instanceof Attribute.IntsAttr is && a.name().equals("value_ints")) {
            return Tensor.vectorLong(name, is.toArray());
        }
        if (a instanceof Attribute.FloatsAttr fs && a.name().equals("value_floats")) {
            List<Float> vals = fs.values();
            float[] out = new float[vals.size()];
            for (int k = 0; k < out.length; k++) {
                out[k] = vals.get(k);
            }
            return Tensor.ofFloats(name, new long[] {out.length}, out);
        }
        return null;
    }

    /** Integer (or bool) values widened to long; null when the tensor is not of an integer type. */
    public static long[] longs(Tensor t) {
        if (t == null || !(t.dtype().isInteger() || t.dtype() == DataType.BOOL) || t.dtype().bits() < 8) {
            return null;
        }
        return t.toLongsWidening();
    }

    /** Numeric values as doubles (float, double, integer and bool types); null for other types. */
    public static double[] doubles(Tensor t) {
        if (t == null) {
            return null;
        }
        if (t.dtype() == DataType.FLOAT) {
            float[] f = t.toFloats();
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) {
                out[i] = f[i];
            }
            return out;
        }
        if (t.dtype() == DataType.DOUBLE) {
            return t.toDoubles();
        }
        long[] l = longs(t);
        if (l == null) {
            return null;
        }
        double[] out = new double[l.length];
        for (int i = 0; i < l.length; i++) {
            out[i] = l[i];
        }
        return out;
    }
}
