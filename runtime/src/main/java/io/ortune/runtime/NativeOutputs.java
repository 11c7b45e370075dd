package io.ortune.runtime;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The outputs of one {@link InferenceSession#runNative} call, in the order asked for, as {@link NativeTensor}s that
 * ONNX Runtime allocated. Closing this releases all of them (and their buffers become invalid). Not thread-safe.
 */
public final class NativeOutputs implements AutoCloseable {

    private final LinkedHashMap<String, NativeTensor> tensors;

    NativeOutputs(LinkedHashMap<String, NativeTensor> tensors) {
        this.tensors = tensors;
    }

    /** The output named {@code name}. */
    public NativeTensor get(String name) {
        NativeTensor t = tensors.get(name);
        if (t == null) {
            throw new IllegalArgumentException("no output named '" + name + "' in this result; it has " + names());
        }
        return t;
    }

    public List<String> names() {
        return List.copyOf(tensors.keySet());
    }

    /** All outputs by name, in order. */
    public Map<String, NativeTensor> asMap() {
        return Collections.unmodifiableMap(tensors);
    }

    /** Releases every output. Safe to call twice. */
    @Override
    public void close() {
        for (NativeTensor t : tensors.values()) {
            t.close();
        }
    }
}
