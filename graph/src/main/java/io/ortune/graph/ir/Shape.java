package io.ortune.graph.ir;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A tensor shape: a list of {@link Dim}s, or unknown rank ({@link #UNKNOWN_RANK}, printed {@code [*]}).
 */
public record Shape(List<Dim> dims) {

    /** The rank itself is unknown. */
    public static final Shape UNKNOWN_RANK = new Shape(null);
    public static final Shape SCALAR = new Shape(List.of());

    public Shape {
        dims = dims == null ? null : List.copyOf(dims);
    }

    public static Shape of(Object... dims) {
        List<Dim> list = new ArrayList<>(dims.length);
        for (Object d : dims) {
            if (d instanceof Dim dim) {
                list.add(dim);
            } else if (d instanceof Number n) {
                list.add(Dim.of(n.longValue()));
            } else if (d instanceof String s) {
                list.add(Dim.of(s));
            } else {
                throw new IllegalArgumentException("not a dimension: " + d);
            }
        }
        return new Shape(list);
    }

    public static Shape ofLongs(long... dims) {
        List<Dim> list = new ArrayList<>(dims.length);
        for (long d : dims) {
            list.add(Dim.of(d));
        }
        return new Shape(list);
    }

    public boolean hasRank() {
        return dims != null;
    }

    public int rank() {
        if (dims == null) {
            throw new IllegalStateException("shape has unknown rank");
        }
        return dims.size();
    }

    public Dim dim(int i) {
        return dims.get(i);
    }

    /** All dimensions known: the concrete sizes. */
    public Optional<long[]> concrete() {
        if (dims == null) {
            return Optional.empty();
        }
        long[] out = new long[dims.size()];
        for (int i = 0; i < out.length; i++) {
            if (!(dims.get(i) instanceof Dim.Known k)) {
                return Optional.empty();
            }
            out[i] = k.size();
        }
        return Optional.of(out);
    }

    @Override
    public String toString() {
        if (dims == null) {
            return "[*]";
        }
        return dims.stream().map(Object::toString).collect(Collectors.joining(",", "[", "]"));
    }
}
