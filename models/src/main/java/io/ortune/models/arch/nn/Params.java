package io.ortune.models.arch.nn;

import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Value;
import io.ortune.models.arch.WeightSource;

import java.util.HashMap;
import java.util.Map;

/**
 * A builder's weights: each one becomes an initializer under its checkpoint name the first time it is used, and
 * every later use (a tied LM head) reads the same initializer.
 */
public final class Params {

    private final GraphBuilder b;
    private final WeightSource source;
    private final Map<String, Value> added = new HashMap<>();

    public Params(GraphBuilder b, WeightSource source) {
        this.b = b;
        this.source = source;
    }

    /** The initializer {@code name}, added from the source on first use. */
    public Value get(String name) {
        Value v = added.get(name);
        if (v == null) {
            v = b.initializer(name, source.tensor(name));
            added.put(name, v);
        }
        return v;
    }
}
