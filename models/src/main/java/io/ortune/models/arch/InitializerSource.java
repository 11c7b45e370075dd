package io.ortune.models.arch;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.Collections;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * The initializers of an existing model as weights. {@link #tensor} returns the model's own tensor objects, so a
 * model rebuilt from them shares the weight data (memory-mapped or in-file data included) instead of copying it.
 */
public final class InitializerSource implements WeightSource {

    private final Model model;
    private final String description;
    private final SortedSet<String> names;

    public InitializerSource(Model model, String description) {
        this.model = model;
        this.description = description;
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(model.graph().initializers().keySet()));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    private Tensor raw(String name) {
        Value v = model.graph().initializer(name);
        if (v == null) {
            throw new IllegalArgumentException("no initializer '" + name + "' in " + description);
        }
        return v.constant();
    }

    @Override
    public long[] shape(String name) {
        return raw(name).dims();
    }

    @Override
    public DataType dtype(String name) {
        return raw(name).dtype();
    }

    @Override
    public Tensor tensor(String name) {
        return Upcast.toFloat32(raw(name));
    }

    @Override
    public String toString() {
        return description;
    }
}
