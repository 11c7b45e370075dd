package io.ortune.models.arch;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.models.weights.Llama2cCheckpoint;
import io.ortune.models.weights.SafetensorsFile;
import io.ortune.models.weights.ShardedSafetensors;
import io.ortune.models.weights.Weights;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The weights of a checkpoint under an architecture's canonical names. Float32 tensors stay file regions (memory
 * mapped when a consumer reads them); float16 and bfloat16 tensors are upcast to float32 on the heap when asked for.
 */
public final class CheckpointSource implements WeightSource {

    private final Weights weights;
    private final String description;
    private final Map<String, String> checkpointNameOf;
    private final SortedSet<String> names;

    /**
     * @param weights          the checkpoint
     * @param description      what it is, for messages (a path)
     * @param checkpointNameOf canonical name to the name in the checkpoint, for every tensor it offers
     */
    public CheckpointSource(Weights weights, String description, Map<String, String> checkpointNameOf) {
        this.weights = weights;
        this.description = description;
        this.checkpointNameOf = Collections.unmodifiableMap(new TreeMap<>(checkpointNameOf));
        this.names = Collections.unmodifiableSortedSet(new TreeSet<>(checkpointNameOf.keySet()));
    }

    @Override
    public String description() {
        return description;
    }

    @Override
    public SortedSet<String> names() {
        return names;
    }

    /** The tensor's name in the checkpoint file (differs from the canonical one for prefix-less checkpoints). */
    public String checkpointName(String name) {
        String n = checkpointNameOf.get(name);
        if (n == null) {
            throw Weights.missing(description, name, names);
        }
        return n;
    }

    @Override
    public long[] shape(String name) {
        return weights.shape(checkpointName(name));
    }

    @Override
    public DataType dtype(String name) {
        String n = checkpointName(name);
        if (weights instanceof SafetensorsFile f) {
            return f.entry(n).dtype().irType();
        }
        if (weights instanceof ShardedSafetensors s) {
            return s.shardOf(n).entry(n).dtype().irType();
        }
        if (weights instanceof Llama2cCheckpoint) {
            return DataType.FLOAT;
        }
        return weights.tensor(n).dtype();
    }

    @Override
    public Tensor tensor(String name) {
        return Upcast.toFloat32(weights.tensor(checkpointName(name))).withName(name);
    }

    @Override
    public String toString() {
        return description;
    }
}
