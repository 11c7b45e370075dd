package io.ortune.models.weights;

import io.ortune.graph.ir.Tensor;

import java.util.SortedSet;

/**
 * A named set of weight tensors from one source (a safetensors file, a sharded checkpoint, a llama2.c file).
 * Tensors are produced on demand; a source backed by a file keeps their bytes on disk until they are read.
 */
public interface Weights {

    /** Every tensor name, sorted. */
    SortedSet<String> names();

    /** True when the source has a tensor called {@code name}. */
    default boolean contains(String name) {
        return names().contains(name);
    }

    /**
     * The tensor called {@code name} (its {@link Tensor#name()} is {@code name}).
     *
     * @throws IllegalArgumentException when there is no such tensor; the message lists similar names
     */
    Tensor tensor(String name);

    /** The dimensions of {@code name}, without touching its data. */
    long[] shape(String name);

    /** Total number of elements over all tensors. */
    default long parameterCount() {
        long n = 0;
        for (String name : names()) {
            long count = 1;
            for (long d : shape(name)) {
                count = Math.multiplyExact(count, d);
            }
            n = Math.addExact(n, count);
        }
        return n;
    }

    /**
     * A clear "no such tensor" error for {@code name} in {@code source}, listing up to five names sharing its
     * longest prefix, for implementations and callers that look names up.
     */
    static IllegalArgumentException missing(String source, String name, SortedSet<String> names) {
        return MissingTensor.error(source, name, names);
    }
}
