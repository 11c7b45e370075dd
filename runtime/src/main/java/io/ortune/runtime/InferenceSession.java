package io.ortune.runtime;

import io.ortune.graph.ir.Tensor;
import java.lang.ref.Reference;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtSession;
import org.bytedeco.onnxruntime.OrtStatus;
import org.bytedeco.onnxruntime.OrtValue;

/**
 * A model loaded into ONNX Runtime, ready to run. Create it from a file ({@link #open}) or from serialized bytes
 * ({@link #fromBytes}); close it to release the native session.
 *
 * <p>Three ways to run: {@link #run} takes and returns IR {@link Tensor}s (inputs are used in place when direct,
 * copied once otherwise; outputs are copied out and released); {@link #runNative} takes {@link NativeTensor}s and
 * returns ONNX Runtime's output memory without copying; {@link #runInto} writes into preallocated outputs, so a
 * benchmark loop allocates no tensors at all.
 *
 * <p>Runs may be called from several threads at once (ONNX Runtime allows concurrent runs of one session).
 * {@link #close()} waits for runs in progress; using a closed session throws {@link IllegalStateException}.
 */
public final class InferenceSession implements AutoCloseable {

    private final OrtRuntime rt;
    private final String label;
    private final List<ValueInfo> inputs;
    private final List<ValueInfo> outputs;
    private final List<ValueInfo> overridable;
    private final Map<String, BytePointer> cNames = new HashMap<>();
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private OrtSession session;

    private InferenceSession(OrtRuntime rt, OrtSession session, String label) {
        this.rt = rt;
        this.session = session;
        this.label = label;
        try {
            this.inputs = SessionIo.inputs(rt, session, label);
            this.outputs = SessionIo.outputs(rt, session, label);
            this.overridable = SessionIo.overridableInitializers(rt, session, label);
        } catch (RuntimeException e) {
            rt.api().ReleaseSession(session);
            throw e;
        }
        for (ValueInfo v : inputs) {
            cNames.computeIfAbsent(v.name(), n -> new BytePointer(n, StandardCharsets.UTF_8));
        }
        for (ValueInfo v : outputs) {
            cNames.computeIfAbsent(v.name(), n -> new BytePointer(n, StandardCharsets.UTF_8));
        }
    }

    // ---- creation ----------------------------------------------------------------------------------------------

    /** Loads {@code model} (external data is found next to it) on the CPU with default options. */
    public static InferenceSession open(Path model) {
        return open(model, SessionOptions.defaults());
    }

    public static InferenceSession open(Path model, SessionOptions options) {
        OrtRuntime rt = OrtRuntime.get();
        String what = model.toString();
        OrtApi api = rt.api();
        try (NativeSessionOptions so = NativeSessionOptions.create(rt, options, what);
             BytePointer path = NativeSessionOptions.path(model)) {
            OrtSession s = new OrtSession();
            OrtStatus status = api.CreateSession(rt.env(), path, so.handle(), s);
            return created(rt, options, what, status, s);
        }
    }

    /** Loads a serialized ModelProto from memory with default options. */
    public static InferenceSession fromBytes(byte[] model) {
        return fromBytes(model, SessionOptions.defaults(), "in-memory model (" + model.length + " bytes)");
    }

    public static InferenceSession fromBytes(byte[] model, SessionOptions options) {
        return fromBytes(model, options, "in-memory model (" + model.length + " bytes)");
    }

    /** Loads a serialized ModelProto from memory; {@code label} names it in messages. */
    public static InferenceSession fromBytes(byte[] model, SessionOptions options, String label) {
        Objects.requireNonNull(model, "model");
        OrtRuntime rt = OrtRuntime.get();
        OrtApi api = rt.api();
        try (NativeSessionOptions so = NativeSessionOptions.create(rt, options, label);
             BytePointer bytes = new BytePointer(model)) {
            OrtSession s = new OrtSession();
            OrtStatus status = api.CreateSessionFromArray(rt.env(), bytes, model.length, so.handle(), s);
            return created(rt, options, label, status, s);
        }
    }

    private static InferenceSession created(OrtRuntime rt, SessionOptions options, String what, OrtStatus status,
                                            OrtSession s) {
        if (status != null && !status.isNull()) {
            OrtException e = Statuses.toException(rt.api(), status, "creating session for " + what);
            throw NativeSessionOptions.classifyCreateFailure(options, what, e);
        }
        return new InferenceSession(rt, s, what);
    }

    // ---- description -------------------------------------------------------------------------------------------

    /** The model's name in messages: its path, or the label given for an in-memory model. */
    public String label() {
        return label;
    }

    public List<ValueInfo> inputs() {
        return inputs;
    }

    public List<ValueInfo> outputs() {
        return outputs;
    }

    /**
     * The initializers a run may replace (graph inputs with an initializer default): what a {@link LoraAdapter}'s
     * parameters must match by name, element type and shape. Not part of {@link #inputs()}, which lists the inputs
     * a run must feed.
     */
    public List<ValueInfo> overridableInitializers() {
        return overridable;
    }

    public List<String> inputNames() {
        return inputs.stream().map(ValueInfo::name).toList();
    }

    public List<String> outputNames() {
        return outputs.stream().map(ValueInfo::name).toList();
    }

    // ---- running -----------------------------------------------------------------------------------------------

    /** Runs the model and returns every output, copied onto the heap. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds) {
        return run(feeds, outputNames(), OutputMemory.HEAP);
    }

    /** Runs the model and returns the outputs named (all when the list is empty), copied onto the heap. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> outputNames) {
        return run(feeds, outputNames, OutputMemory.HEAP);
    }

    /**
     * Runs the model on IR tensors (keyed by input name) and copies the outputs named (all when the list is empty)
     * into IR tensors in {@code memory}. Every native value made along the way is released before this returns.
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> outputNames, OutputMemory memory) {
        return run(feeds, outputNames, memory, null);
    }

    /** Runs the model with {@code options} (its active LoRA adapters) and returns every output, on the heap. */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, RunOptions options) {
        return run(feeds, outputNames(), OutputMemory.HEAP, options);
    }

    /**
     * Like {@link #run(Map, List, OutputMemory)}, with per-run {@code options} (null: none). The adapters active in
     * {@code options} replace the overridable initializers they name for this run only.
     */
    public Map<String, Tensor> run(Map<String, Tensor> feeds, List<String> outputNames, OutputMemory memory,
                                   RunOptions options) {
        LinkedHashMap<String, NativeTensor> natives = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : feeds.entrySet()) {
                natives.put(e.getKey(), toNative(e.getKey(), e.getValue()));
            }
            try (NativeOutputs result = runNative(natives, outputNames, options)) {
                Map<String, Tensor> out = new LinkedHashMap<>();
                for (Map.Entry<String, NativeTensor> e : result.asMap().entrySet()) {
                    out.put(e.getKey(), e.getValue().toTensor(e.getKey(), memory));
                }
                return out;
            }
        } finally {
            for (NativeTensor t : natives.values()) {
                t.close();
            }
        }
    }

    private NativeTensor toNative(String name, Tensor t) {
        try {
            return NativeTensor.fromTensor(t);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("input '" + name + "' of " + label + ": " + e.getMessage(), e);
        }
    }

    /**
     * Runs the model on native tensors and returns ONNX Runtime's outputs without copying them; close the result to
     * release them. The inputs stay owned by the caller and may be reused.
     */
    public NativeOutputs runNative(Map<String, NativeTensor> feeds, List<String> outputNames) {
        return runNative(feeds, outputNames, null);
    }

    /** {@link #runNative(Map, List)} with per-run {@code options} (null: none). */
    public NativeOutputs runNative(Map<String, NativeTensor> feeds, List<String> outputNames, RunOptions options) {
        List<String> names = outputNames == null || outputNames.isEmpty() ? outputNames() : List.copyOf(outputNames);
        OrtValue[] values = invoke(feeds, names, null, options);
        LinkedHashMap<String, NativeTensor> out = new LinkedHashMap<>();
        try {
            for (int i = 0; i < values.length; i++) {
                OrtValue v = values[i];
                values[i] = null;
                out.put(names.get(i), NativeTensor.adopt(rt, v, "output '" + names.get(i) + "' of " + label));
            }
            return new NativeOutputs(out);
        } catch (RuntimeException e) {
            for (OrtValue v : values) {
                if (v != null) {
                    rt.api().ReleaseValue(v);
                }
            }
            new NativeOutputs(out).close();
            throw e;
        }
    }

    /**
     * Runs the model writing each output into the preallocated tensor of the same name (shapes and types must match
     * what the model produces). Nothing is allocated per call besides small name arrays.
     */
    public void runInto(Map<String, NativeTensor> feeds, Map<String, NativeTensor> outputs) {
        List<String> names = List.copyOf(outputs.keySet());
        NativeTensor[] targets = new NativeTensor[names.size()];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = outputs.get(names.get(i));
        }
        invoke(feeds, names, targets, null);
    }

    /** Calls {@code Run}; returns the output values ONNX Runtime allocated (null where a target was given). */
    private OrtValue[] invoke(Map<String, NativeTensor> feeds, List<String> outNames, NativeTensor[] targets,
                              RunOptions options) {
        OrtApi api = rt.api();
        int n = feeds.size();
        int m = outNames.size();
        List<BytePointer> temporary = new ArrayList<>();
        lock.readLock().lock();
        try (PointerPointer<BytePointer> inNames = new PointerPointer<>(Math.max(1, n));
             PointerPointer<OrtValue> inValues = new PointerPointer<>(Math.max(1, n));
             PointerPointer<BytePointer> outNamesC = new PointerPointer<>(Math.max(1, m));
             PointerPointer<OrtValue> outValues = new PointerPointer<>(Math.max(1, m))) {
            OrtSession s = requireOpen();
            int i = 0;
            for (Map.Entry<String, NativeTensor> e : feeds.entrySet()) {
                inNames.put(i, cName(e.getKey(), temporary));
                inValues.put(i, e.getValue().handle());
                i++;
            }
            for (int j = 0; j < m; j++) {
                outNamesC.put(j, cName(outNames.get(j), temporary));
                outValues.put(j, targets == null ? null : targets[j].handle());
            }
            OrtStatus status = api.Run(s, options == null ? null : options.handle(), inNames, inValues, n, outNamesC,
                    m, outValues);
            Reference.reachabilityFence(feeds);
            Reference.reachabilityFence(options);
            Reference.reachabilityFence(targets);
            OrtValue[] result = new OrtValue[m];
            for (int j = 0; j < m; j++) {
                OrtValue v = outValues.get(OrtValue.class, j);
                result[j] = targets != null || v == null || v.isNull() ? null : v;
            }
            if (status != null && !status.isNull()) {
                for (OrtValue v : result) {
                    if (v != null) {
                        api.ReleaseValue(v);
                    }
                }
                throw Statuses.toException(api, status, "running " + label + " (inputs " + feeds.keySet()
                        + ", outputs " + outNames + (options == null ? "" : ", " + options) + ")");
            }
            return result;
        } finally {
            lock.readLock().unlock();
            for (BytePointer p : temporary) {
                p.close();
            }
        }
    }

    /** The C string for {@code name}: cached for the model's own names, temporary for others. */
    private BytePointer cName(String name, List<BytePointer> temporary) {
        BytePointer p = cNames.get(name);
        if (p == null) {
            p = new BytePointer(name, StandardCharsets.UTF_8);
            temporary.add(p);
        }
        return p;
    }

    /** Ends profiling (enabled through {@link SessionOptions#profilingPrefix()}) and returns the profile file. */
    public Path endProfiling() {
        lock.readLock().lock();
        try (PointerPointer<BytePointer> file = new PointerPointer<>(1)) {
            OrtSession s = requireOpen();
            Statuses.check(rt.api(), rt.api().SessionEndProfiling(s, rt.allocator(), file),
                    () -> "ending profiling of " + label);
            return Path.of(rt.takeAllocatedString(file.get(BytePointer.class, 0)));
        } finally {
            lock.readLock().unlock();
        }
    }

    private OrtSession requireOpen() {
        if (session == null) {
            throw new IllegalStateException("session for " + label + " is closed");
        }
        return session;
    }

    public boolean isClosed() {
        lock.readLock().lock();
        try {
            return session == null;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Releases the native session, waiting for runs in progress. Safe to call twice. */
    @Override
    public void close() {
        lock.writeLock().lock();
        try {
            if (session != null) {
                rt.api().ReleaseSession(session);
                session = null;
                for (BytePointer p : cNames.values()) {
                    p.close();
                }
                cNames.clear();
            }
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public String toString() {
        return "InferenceSession[" + label + ", inputs " + inputs + ", outputs " + outputs + "]";
    }
}
