package io.ortune.graph.build;

import static io.ortune.graph.build.OpContext.tensor;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Reshape with a constant target shape: {@code 0} copies the input dim at the same index (unless
 * {@code allowzero=1}), {@code -1} is inferred from the element count, keeping a symbolic dim when the symbols
 * cancel ({@code [batch,seq,12,64]} with {@code [0,0,-1]} gives {@code [batch,seq,768]}).
 */
final class ReshapeRule {

    private ReshapeRule() {
    }

    static List<ValueType> apply(OpContext c) {
        c.arity(2, 2);
        c.requireDtype(1, DataType.INT64);
        DataType t = c.dtype(0);
        long[] target = c.constLongs(1);
        if (target == null) {
            return c.result(tensor(t, Dims.ofLength(c.shape(1))));
        }
        boolean allowZero = c.intAttr("allowzero", 0) != 0;
        Shape in = c.shape(0);
        Dim[] out = new Dim[target.length];
        int inferred = -1;
        for (int i = 0; i < target.length; i++) {
            long v = target[i];
            if (v == -1) {
                if (inferred >= 0) {
                    throw c.fail("shape " + Arrays.toString(target) + " has more than one -1");
                }
                inferred = i;
            } else if (v == 0 && !allowZero) {
                out[i] = copied(c, in, i, target);
            } else if (v < 0) {
                throw c.fail("shape " + Arrays.toString(target) + " has " + v + " at index " + i
                        + " (only -1 may be negative)");
            } else {
                out[i] = Dim.of(v);
            }
        }
        if (inferred >= 0) {
            out[inferred] = inferMinusOne(c, in, out, inferred, target);
        } else {
            checkCount(c, in, out, target);
        }
        return c.result(tensor(t, new Shape(Arrays.asList(out))));
    }

    private static Dim copied(OpContext c, Shape in, int i, long[] target) {
        if (!in.hasRank()) {
            return Dim.UNKNOWN;
        }
        if (i >= in.rank()) {
            throw c.fail("shape " + Arrays.toString(target) + " has 0 at index " + i + ", but input " + in
                    + " has no dim " + i + " to copy");
        }
        return in.dim(i);
    }

    /** A product split into its known factor and its symbolic factors; null when some factor is unknown. */
    private record Factors(long known, List<String> symbols) {
        static Factors of(List<Dim> dims) {
            long k = 1;
            List<String> syms = new ArrayList<>();
            for (Dim d : dims) {
                if (d instanceof Dim.Known kd) {
                    k *= kd.size();
                } else if (d instanceof Dim.Symbolic s) {
                    syms.add(s.symbol());
                } else {
                    return null;
                }
            }
            return new Factors(k, syms);
        }
    }

    private static Dim inferMinusOne(OpContext c, Shape in, Dim[] out, int inferred, long[] target) {
        if (!in.hasRank()) {
            return Dim.UNKNOWN;
        }
        List<Dim> rest = new ArrayList<>();
        for (int i = 0; i < out.length; i++) {
            if (i != inferred) {
                rest.add(out[i]);
            }
        }
        Factors num = Factors.of(in.dims());
        Factors den = Factors.of(rest);
        if (num == null || den == null || den.known() == 0) {
            return Dim.UNKNOWN;
        }
        List<String> left = new ArrayList<>(num.symbols());
        for (String s : den.symbols()) {
            if (!left.remove(s)) {
                return Dim.UNKNOWN;
            }
        }
        if (left.isEmpty()) {
            if (num.known() % den.known() != 0) {
                throw c.fail("cannot reshape " + in + " to " + Arrays.toString(target) + ": " + num.known()
                        + " elements do not divide by " + den.known());
            }
            return Dim.of(num.known() / den.known());
        }
        if (left.size() == 1 && num.known() == den.known()) {
            return Dim.of(left.get(0));
        }
        return Dim.UNKNOWN;
    }

    private static void checkCount(OpContext c, Shape in, Dim[] out, long[] target) {
        if (!in.hasRank()) {
            return;
        }
        Factors a = Factors.of(in.dims());
        Factors b = Factors.of(Arrays.asList(out));
        if (a != null && b != null && a.symbols().isEmpty() && b.symbols().isEmpty() && a.known() != b.known()) {
            throw c.fail("cannot reshape " + in + " (" + a.known() + " elements) to " + Arrays.toString(target)
                    + " (" + b.known() + " elements)");
        }
    }
}
