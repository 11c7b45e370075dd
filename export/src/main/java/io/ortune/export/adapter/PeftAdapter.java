package io.ortune.export.adapter;

import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.PeftMethod;

import java.util.Collections;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One adapter as PEFT saves it: its config and its tensors by state-dict key ({@link AdapterKeys}). Tensors may be
 * lazy regions of the file they were read from.
 *
 * @param config  the config
 * @param tensors the tensors by PEFT key, sorted
 */
public record PeftAdapter(PeftAdapterConfig config, Map<String, Tensor> tensors) {

    public PeftAdapter {
        tensors = Collections.unmodifiableMap(new TreeMap<>(tensors));
    }

    /** The ortune method. */
    public PeftMethod method() {
        return config.method();
    }

    /** The modules the per-module keys name, sorted. */
    public SortedSet<String> modules() {
        SortedSet<String> out = new TreeSet<>();
        for (String k : tensors.keySet()) {
            AdapterKeys.parse(k).ifPresent(key -> out.add(key.module()));
        }
        return out;
    }

    /** The tensor under {@code key}; fails naming the key and the keys there are. */
    public Tensor tensor(String key) {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new AdapterException("adapter", "no tensor '" + key + "'; it has " + tensors.size() + " keys"
                    + (tensors.isEmpty() ? "" : ", e.g. '" + tensors.keySet().iterator().next() + "'"));
        }
        return t;
    }

    /** Total elements of the adapter's tensors (PEFT's trainable parameter count). */
    public long parameterCount() {
        long n = 0;
        for (Tensor t : tensors.values()) {
            n += t.elementCount();
        }
        return n;
    }
}
