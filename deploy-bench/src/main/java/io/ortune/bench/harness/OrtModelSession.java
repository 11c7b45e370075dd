package io.ortune.bench.harness;

import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.ValueInfo;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** An ONNX Runtime session behind {@link ModelSession}; outputs stay native and are released after each run. */
final class OrtModelSession implements ModelSession {

    private final InferenceSession session;
    private final int threads;

    private OrtModelSession(InferenceSession session, int threads) {
        this.session = session;
        this.threads = threads;
    }

    static OrtModelSession open(Path model, SessionOptions options) {
        return new OrtModelSession(InferenceSession.open(model, options), options.intraOpThreads());
    }

    @Override
    public List<ValueInfo> inputs() {
        return session.inputs();
    }

    @Override
    public List<ValueInfo> outputs() {
        return session.outputs();
    }

    @Override
    public void run(Map<String, NativeTensor> feeds) {
        try (NativeOutputs out = session.runNative(feeds, List.of())) {
            assert out != null;
        }
    }

    @Override
    public int threads() {
        return threads;
    }

    @Override
    public void close() {
        session.close();
    }
}
