package io.ortune.runtime;

import java.util.ArrayList;
import java.util.List;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtRunOptions;

/**
 * Per-run options of ONNX Runtime ({@code OrtRunOptions}): the LoRA adapters active for the runs made with it, and a
 * run tag for ONNX Runtime's logs. Pass it to {@link InferenceSession#run(java.util.Map, RunOptions)}; one object may
 * serve many runs, from several threads. Close it when done (the adapters stay open: they belong to the caller).
 *
 * <pre>{@code
 * try (LoraAdapter a = LoraAdapter.open(Path.of("a.onnx_adapter"));
 *      RunOptions withA = RunOptions.create().activate(a)) {
 *     Map<String, Tensor> out = session.run(feeds, withA);   // a's parameters replace the graph's defaults
 * }
 * }</pre>
 */
public final class RunOptions implements AutoCloseable {

    private final OrtRuntime rt;
    private final List<LoraAdapter> active = new ArrayList<>();
    private OrtRunOptions handle;

    private RunOptions(OrtRuntime rt, OrtRunOptions handle) {
        this.rt = rt;
        this.handle = handle;
    }

    /** Fresh run options: no adapter active. */
    public static RunOptions create() {
        OrtRuntime rt = OrtRuntime.get();
        OrtApi api = rt.api();
        OrtRunOptions h = new OrtRunOptions();
        Statuses.check(api, api.CreateRunOptions(h), "creating run options");
        return new RunOptions(rt, h);
    }

    /** Run options with {@code adapters} active, in order. */
    public static RunOptions withAdapters(List<LoraAdapter> adapters) {
        RunOptions o = create();
        try {
            for (LoraAdapter a : adapters) {
                o.activate(a);
            }
            return o;
        } catch (RuntimeException e) {
            o.close();
            throw e;
        }
    }

    /**
     * Activates {@code adapter} for every later run made with these options ({@code RunOptionsAddActiveLoraAdapter}).
     * Two active adapters must not set the same parameter.
     */
    public synchronized RunOptions activate(LoraAdapter adapter) {
        Statuses.check(rt.api(), rt.api().RunOptionsAddActiveLoraAdapter(requireOpen(), adapter.handle()),
                () -> "activating LoRA adapter " + adapter.label());
        active.add(adapter);
        return this;
    }

    /** Names this run in ONNX Runtime's log lines. */
    public synchronized RunOptions tag(String runTag) {
        Statuses.check(rt.api(), rt.api().RunOptionsSetRunTag(requireOpen(), runTag), "setting run tag " + runTag);
        return this;
    }

    /** The adapters activated so far, in order. */
    public synchronized List<LoraAdapter> activeAdapters() {
        return List.copyOf(active);
    }

    synchronized OrtRunOptions handle() {
        OrtRunOptions h = requireOpen();
        for (LoraAdapter a : active) {
            a.handle(); // a closed adapter would leave ONNX Runtime a dangling pointer
        }
        return h;
    }

    private OrtRunOptions requireOpen() {
        if (handle == null) {
            throw new IllegalStateException("run options are closed");
        }
        return handle;
    }

    /** Releases the native run options (not the adapters). Safe to call twice. */
    @Override
    public synchronized void close() {
        if (handle != null) {
            rt.api().ReleaseRunOptions(handle);
            handle = null;
        }
    }

    @Override
    public String toString() {
        return "RunOptions[adapters " + active.stream().map(LoraAdapter::label).toList() + "]";
    }
}
