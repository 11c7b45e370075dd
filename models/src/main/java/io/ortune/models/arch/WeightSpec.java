package io.ortune.models.arch;

import java.util.Arrays;
import java.util.Objects;

/**
 * One weight an architecture expects: its checkpoint name, float32 shape, how {@link ModelFactory#randomInit}
 * initializes it, and whether a checkpoint may lack it (then it is initialized randomly, as Hugging Face does for a
 * new task head).
 *
 * @param name     the checkpoint name, e.g. {@code model.layers.0.self_attn.q_proj.weight}
 * @param shape    dimensions as stored in the checkpoint (PyTorch layout)
 * @param init     random initialization
 * @param optional true for a weight a checkpoint may lack (a freshly added task head)
 */
public record WeightSpec(String name, long[] shape, Init init, boolean optional) {

    /** Hugging Face's default {@code initializer_range}. */
    public static final double DEFAULT_STD = 0.02;

    /** How a weight is initialized: normal(0, std), ones or zeros. */
    public enum InitKind { NORMAL, ONES, ZEROS }

    /** An initialization rule; {@code std} is used by {@link InitKind#NORMAL} only. */
    public record Init(InitKind kind, double std) {
        public Init {
            Objects.requireNonNull(kind, "kind");
        }

        public static Init normal(double std) {
            return new Init(InitKind.NORMAL, std);
        }

        public static Init ones() {
            return new Init(InitKind.ONES, 0);
        }

        public static Init zeros() {
            return new Init(InitKind.ZEROS, 0);
        }
    }

    public WeightSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(init, "init");
        shape = shape.clone();
    }

    /** A projection or embedding matrix, normal(0, 0.02). */
    public static WeightSpec matrix(String name, long rows, long cols) {
        return new WeightSpec(name, new long[] {rows, cols}, Init.normal(DEFAULT_STD), false);
    }

    /** A bias vector, zeros. */
    public static WeightSpec bias(String name, long size) {
        return new WeightSpec(name, new long[] {size}, Init.zeros(), false);
    }

    /** A normalization scale, ones. */
    public static WeightSpec scale(String name, long size) {
        return new WeightSpec(name, new long[] {size}, Init.ones(), false);
    }

    /** This spec with another normal standard deviation. */
    public WeightSpec withStd(double std) {
        return new WeightSpec(name, shape, Init.normal(std), optional);
    }

    /** This spec marked as one a checkpoint may lack. */
    public WeightSpec asOptional() {
        return new WeightSpec(name, shape, init, true);
    }

    @Override
    public long[] shape() {
        return shape.clone();
    }

    /** Number of elements; fails naming the tensor and its shape when that does not fit in a long. */
    public long elementCount() {
        long n = 1;
        for (long d : shape) {
            try {
                n = Math.multiplyExact(n, d);
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException("tensor '" + name + "' " + Arrays.toString(shape)
                        + " has more elements than fit in 64 bits; check the config's sizes", e);
            }
        }
        return n;
    }

    /**
     * Bytes of this tensor in float32; fails naming the tensor, its shape and size when that is over what one Java
     * buffer holds (2 GiB), the limit for a weight ortune builds.
     */
    public long float32Bytes() {
        long n = elementCount();
        if (n > Integer.MAX_VALUE / 4) {
            throw new IllegalArgumentException(String.format(java.util.Locale.ROOT,
                    "tensor '%s' %s float32 would be %.1f GiB (%,d elements); one weight must be under 2 GiB: "
                    + "check the config's sizes (vocab_size, hidden size, intermediate size)", name,
                    Arrays.toString(shape), n * 4.0 / (1L << 30), n));
        }
        return n * 4;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof WeightSpec w && name.equals(w.name) && Arrays.equals(shape, w.shape)
                && init.equals(w.init) && optional == w.optional;
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, Arrays.hashCode(shape), init, optional);
    }

    @Override
    public String toString() {
        return name + Arrays.toString(shape) + (optional ? " (optional)" : "");
    }
}
