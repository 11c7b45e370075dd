package io.ortune.graph.build;

import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Arithmetic on dimensions and shapes that keeps symbolic dims where ONNX semantics allow. */
final class Dims {

    private Dims() {
    }

    static boolean isOne(Dim d) {
        return d instanceof Dim.Known k && k.size() == 1;
    }

    static long known(Dim d) {
        return d instanceof Dim.Known k ? k.size() : -1;
    }

    /** Both known and different. */
    static boolean conflict(Dim a, Dim b) {
        return a.isKnown() && b.isKnown() && !a.equals(b);
    }

    /** The most specific of two dims that must be equal: known, then symbolic, then unknown. */
    static Dim merge(Dim a, Dim b) {
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        return a instanceof Dim.Symbolic ? a : b;
    }

    /** Numpy broadcasting of two dims; null when they conflict. */
    static Dim broadcast(Dim a, Dim b) {
        if (a.equals(b)) {
            return a instanceof Dim.Unknown ? Dim.UNKNOWN : a;
        }
        if (isOne(a)) {
            return b;
        }
        if (isOne(b)) {
            return a;
        }
        if (a.isKnown() && b.isKnown()) {
            return null;
        }
        if (a.isKnown()) {
            return a;
        }
        if (b.isKnown()) {
            return b;
        }
        return Dim.UNKNOWN;
    }

    /** Numpy broadcasting of two shapes; null when they conflict; unknown rank when either rank is unknown. */
    static Shape broadcast(Shape a, Shape b) {
        if (!a.hasRank() || !b.hasRank()) {
            return Shape.UNKNOWN_RANK;
        }
        int r = Math.max(a.rank(), b.rank());
        List<Dim> out = new ArrayList<>(r);
        for (int i = 0; i < r; i++) {
            int ia = i - (r - a.rank());
            int ib = i - (r - b.rank());
            Dim da = ia < 0 ? Dim.of(1) : a.dim(ia);
            Dim db = ib < 0 ? Dim.of(1) : b.dim(ib);
            Dim d = broadcast(da, db);
            if (d == null) {
                return null;
            }
            out.add(d);
        }
        return new Shape(out);
    }

    /** The sum of dims, known only when all are. */
    static Dim sum(List<Dim> dims) {
        long total = 0;
        for (Dim d : dims) {
            if (!d.isKnown()) {
                return Dim.UNKNOWN;
            }
            total += known(d);
        }
        return Dim.of(total);
    }

    /** A shape of known rank whose dims are all unknown. */
    static Shape unknownDims(int rank) {
        return new Shape(Collections.nCopies(rank, (Dim) Dim.UNKNOWN));
    }

    /** The rank-{@code r} shape a 1-D shape input of shape {@code s} describes, when its length is known. */
    static Shape ofLength(Shape s) {
        if (s.hasRank() && s.rank() == 1 && s.dim(0).isKnown()) {
            return unknownDims((int) known(s.dim(0)));
        }
        return Shape.UNKNOWN_RANK;
    }
}
