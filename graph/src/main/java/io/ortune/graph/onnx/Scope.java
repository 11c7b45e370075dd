package io.ortune.graph.onnx;

import io.ortune.graph.ir.Value;

import java.util.HashMap;
import java.util.Map;

/** Value names visible while decoding one graph: its own values, then those of the enclosing graphs. */
final class Scope {

    private final Scope outer;
    private final Map<String, Value> local = new HashMap<>();

    Scope(Scope outer) {
        this.outer = outer;
    }

    void define(Value v) {
        if (!v.name().isEmpty()) {
            local.put(v.name(), v);
        }
    }

    Value local(String name) {
        return local.get(name);
    }

    boolean isLocal(Value v) {
        return local.get(v.name()) == v;
    }

    /** The innermost value of this name, or null. */
    Value lookup(String name) {
        for (Scope s = this; s != null; s = s.outer) {
            Value v = s.local.get(name);
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
