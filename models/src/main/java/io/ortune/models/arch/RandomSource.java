package io.ortune.models.arch;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.GeneratedData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.FloatBuffer;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Seeded random weights following each {@link WeightSpec}'s {@link WeightSpec.Init}: normal(0, std) for matrices
 * (Hugging Face's {@code _init_weights}), ones for norm scales, zeros for biases. Each tensor draws from its own
 * generator seeded by the seed and the tensor's name, so a tensor's values do not depend on which others exist
 * or in which order they are asked for. Matrices over 16 MiB are
 * {@link GeneratedData}: drawn again on each read, so a large random model holds no weights on the heap.
 */
public final class RandomSource implements WeightSource {

    private final Map<String, WeightSpec> specs = new LinkedHashMap<>();
    private final long seed;
    private final SortedSet<String> names;

    public RandomSource(List<WeightSpec> specs, long seed) {
        for (WeightSpec s : specs) {
            this.specs.put(s.name(), s);
        }
        this.seed = seed;
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(this.specs.keySet()));
    }

    @Override
    public String description() {
        return "random initialization (seed " + seed + ")";
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    private WeightSpec spec(String name) {
        WeightSpec s = specs.get(name);
        if (s == null) {
            throw new IllegalArgumentException("no weight '" + name + "' in " + description());
        }
        return s;
    }

    @Override
    public long[] shape(String name) {
        return spec(name).shape();
    }

    @Override
    public DataType dtype(String name) {
        spec(name);
        return DataType.FLOAT;
    }

    /** Tensors above this size are generated on each read instead of held ({@link GeneratedData}). */
    static final long GENERATE_ABOVE_BYTES = 16L << 20;

    @Override
    public Tensor tensor(String name) {
        WeightSpec s = spec(name);
        long bytes = s.float32Bytes();
        if (bytes > GENERATE_ABOVE_BYTES && s.init().kind() == WeightSpec.InitKind.NORMAL) {
            return new Tensor(name, DataType.FLOAT, s.shape(), new GeneratedData(bytes, "random normal(0, "
                    + s.init().std() + ") for '" + name + "', seed " + seed, () -> values(name, s)));
        }
        return new Tensor(name, DataType.FLOAT, s.shape(), new BufferData(values(name, s)));
    }

    private ByteBuffer values(String name, WeightSpec s) {
        int n = Math.toIntExact(s.elementCount());
        ByteBuffer bytes = ByteBuffer.allocate(Math.multiplyExact(n, 4)).order(ByteOrder.LITTLE_ENDIAN);
        FloatBuffer f = bytes.asFloatBuffer();
        switch (s.init().kind()) {
            case ONES:
                for (int i = 0; i < n; i++) {
                    f.put(i, 1f);
                }
                break;
            case NORMAL:
                Random r = new Random(seed * 0x9E3779B97F4A7C15L + name.hashCode());
                for (int i = 0; i < n; i++) {
                    f.put(i, (float) (r.nextGaussian() * s.init().std()));
                }
                break;
            default:
                break;
        }
        return bytes;
    }
}
