package io.ortune.models.generate;

import io.ortune.graph.ir.DataType;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The past keys and values between steps, kept where ONNX Runtime put them: the {@code present.*} outputs of one
 * step are fed as the next step's {@code past_key_values.*} as they are (no copy to the Java heap and back), and
 * released once the step that read them has run. Starts from empty tensors [batch, kv_heads, 0, head_dim].
 */
final class KvCache implements AutoCloseable {

    private final DecoderSpec spec;
    private final List<NativeTensor> empty = new ArrayList<>();
    private NativeOutputs current;

    KvCache(DecoderSpec spec, int batch) {
        this.spec = spec;
        try {
            for (int i = 0; i < 2 * spec.layers(); i++) {
                empty.add(NativeTensor.allocate(DataType.FLOAT, new long[] {batch, spec.kvHeads(), 0, spec.headDim()}));
            }
        } catch (RuntimeException e) {
            close();
            throw e;
        }
    }

    /** Puts the current past tensors into {@code feeds} under their input names. */
    void feed(Map<String, NativeTensor> feeds) {
        for (int i = 0; i < spec.layers(); i++) {
            feeds.put(spec.pastName(i, true), tensor(i, true));
            feeds.put(spec.pastName(i, false), tensor(i, false));
        }
    }

    private NativeTensor tensor(int layer, boolean key) {
        if (current == null) {
            return empty.get(2 * layer + (key ? 0 : 1));
        }
        return current.get(io.ortune.models.arch.ModelIo.present(layer, key));
    }

    /** Makes {@code outputs} (a step's results) the cache, releasing what the step read. Takes ownership. */
    void advance(NativeOutputs outputs) {
        release();
        current = outputs;
    }

    /** Cached tokens per row (columns of the cache). */
    long length() {
        return tensor(0, true).dims()[2];
    }

    private void release() {
        if (current != null) {
            current.close();
            current = null;
        }
        for (NativeTensor t : empty) {
            t.close();
        }
        empty.clear();
    }

    @Override
    public void close() {
        release();
    }
}
