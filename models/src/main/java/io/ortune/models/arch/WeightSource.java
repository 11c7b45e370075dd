package io.ortune.models.arch;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.util.SortedSet;

/**
 * Where a builder's weights come from, by checkpoint name: a checkpoint ({@link CheckpointSource}), the
 * initializers of a model already built ({@link InitializerSource}), or seeded random values
 * ({@link RandomSource}). Names, shapes and dtypes are known without reading any data, so a source can be
 * validated against an architecture's {@link WeightSpec}s before anything is loaded.
 */
public interface WeightSource {

    /** What the weights are (a path, a model), for messages. */
    String description();

    /** Every weight name this source offers, sorted. */
    SortedSet<String> names();

    /** Dimensions of {@code name} as stored. */
    long[] shape(String name);

    /** Element type of {@code name} as stored (before any upcast {@link #tensor} applies). */
    DataType dtype(String name);

    /** The weight {@code name} as a float32 tensor named {@code name}; file-backed data stays lazy when possible. */
    Tensor tensor(String name);

    default boolean contains(String name) {
        return names().contains(name);
    }
}
