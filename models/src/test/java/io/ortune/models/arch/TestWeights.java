package io.ortune.models.arch;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.config.ModelConfig;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Random weights that make tests discriminate: matrices normal(0, 0.3) (attention far from uniform, unlike HF's
 * 0.02), norm scales 1 + normal(0, 0.1) and biases normal(0, 0.1) (neither trivially 1 nor 0).
 */
final class TestWeights {

    private TestWeights() {
    }

    /** Every weight {@code config} needs (default layout), seeded. */
    static Map<String, Tensor> of(ModelConfig config, long seed) {
        List<WeightSpec> specs = Architectures.of(config).weights(config, Set.of());
        Map<String, Tensor> out = new LinkedHashMap<>();
        Random r = new Random(seed);
        for (WeightSpec s : specs) {
            int n = Math.toIntExact(s.elementCount());
            ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
            for (int i = 0; i < n; i++) {
                double g = r.nextGaussian();
                float v = switch (s.init().kind()) {
                    case NORMAL -> (float) (0.3 * g);
                    case ONES -> (float) (1 + 0.1 * g);
                    case ZEROS -> (float) (0.1 * g);
                };
                b.putFloat(4 * i, v);
            }
            out.put(s.name(), new Tensor(s.name(), DataType.FLOAT, s.shape(), new BufferData(b)));
        }
        return out;
    }

    /** {@link #of} as a weight source. */
    static WeightSource source(ModelConfig config, long seed) {
        return new MapSource(of(config, seed));
    }

    /** Tensors in a map as a weight source. */
    static final class MapSource implements WeightSource {
        private final Map<String, Tensor> tensors;

        MapSource(Map<String, Tensor> tensors) {
            this.tensors = tensors;
        }

        @Override
        public String description() {
            return "test weights";
        }

        @Override
        public java.util.SortedSet<String> names() {
            return new java.util.TreeSet<>(tensors.keySet());
        }

        @Override
        public long[] shape(String name) {
            return tensors.get(name).dims();
        }

        @Override
        public DataType dtype(String name) {
            return tensors.get(name).dtype();
        }

        @Override
        public Tensor tensor(String name) {
            return tensors.get(name);
        }
    }
}
