package io.ortune.models.arch;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/** A source's weights, with the ones it lacks taken from a second source (random values for a new task head). */
final class FallbackSource implements WeightSource {

    private final WeightSource primary;
    private final WeightSource fallback;
    private final SortedSet<String> names;

    FallbackSource(WeightSource primary, WeightSource fallback) {
        this.primary = primary;
        this.fallback = fallback;
        SortedSet<String> all = new TreeSet<>(primary.names());
        all.addAll(fallback.names());
        this.names = Collections.unmodifiableSortedSet(all);
    }

    private WeightSource of(String name) {
        return primary.contains(name) ? primary : fallback;
    }

    @Override
    public String description() {
        return primary.description() + " (missing weights from " + fallback.description() + ")";
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    @Override
    public long[] shape(String name) {
        return of(name).shape(name);
    }

    @Override
    public DataType dtype(String name) {
        return of(name).dtype(name);
    }

    @Override
    public Tensor tensor(String name) {
        return of(name).tensor(name);
    }
}
