package io.ortune.bench.harness;

import io.ortune.runtime.ExecutionProvider;
import io.ortune.runtime.SessionOptions;

/** Session options the ONNX Runtime backends share: intra-op threads as asked, one inter-op thread, sequential. */
final class OrtBackends {

    private OrtBackends() {
    }

    static SessionOptions options(ExecutionProvider provider, int deviceId, int threads) {
        SessionOptions.Builder b = SessionOptions.builder().intraOpThreads(threads).interOpThreads(1);
        return (provider == ExecutionProvider.CUDA ? b.cuda(deviceId) : b).build();
    }
}
