package io.ortune.bench.harness;

import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.ValueInfo;

import java.util.List;
import java.util.Map;

/** A model opened on a {@link Backend}, run on preallocated inputs. */
public interface ModelSession extends AutoCloseable {

    /** The model's inputs, as the backend sees them. */
    List<ValueInfo> inputs();

    /** The model's outputs, as the backend sees them. */
    List<ValueInfo> outputs();

    /** One inference on {@code feeds} (kept by the caller); outputs are released before this returns. */
    void run(Map<String, NativeTensor> feeds);

    /** Intra-op threads the session was made with (0 = the runtime's choice). */
    int threads();

    @Override
    void close();
}
