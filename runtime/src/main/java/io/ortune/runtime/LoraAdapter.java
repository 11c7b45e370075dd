package io.ortune.runtime;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtLoraAdapter;

/**
 * An ONNX Runtime LoRA adapter ({@code .onnx_adapter} flatbuffer, identifier {@code TORT}) loaded into native memory
 * with {@code CreateLoraAdapter} / {@code CreateLoraAdapterFromArray}. Activate it for a run through
 * {@link RunOptions#activate}: each of its parameters then replaces the graph input of the same name (a graph input
 * with an initializer default) for that run only; the session is not rebuilt.
 *
 * <p>ONNX Runtime checks the file's structure when loading; it does not check the parameters against any model
 * (names, shapes and types are checked when a run uses it, or before, with {@code io.ortune.export.hotswap}).
 * Close it to release the native copy; an adapter must stay open while a {@link RunOptions} that activates it is
 * used (the run options keep it reachable, not open).
 */
public final class LoraAdapter implements AutoCloseable {

    private final OrtRuntime rt;
    private final String label;
    private OrtLoraAdapter handle;

    private LoraAdapter(OrtRuntime rt, OrtLoraAdapter handle, String label) {
        this.rt = rt;
        this.handle = handle;
        this.label = label;
    }

    /** Loads the adapter file {@code file} (parameters on the CPU). */
    public static LoraAdapter open(Path file) {
        Objects.requireNonNull(file, "file");
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("LoRA adapter file " + file + " not found (expected an "
                    + ".onnx_adapter file)");
        }
        OrtRuntime rt = OrtRuntime.get();
        OrtApi api = rt.api();
        try (BytePointer path = NativeSessionOptions.path(file)) {
            OrtLoraAdapter a = new OrtLoraAdapter();
            Statuses.check(api, api.CreateLoraAdapter(path, null, a), () -> "loading LoRA adapter " + file);
            return new LoraAdapter(rt, a, file.toString());
        }
    }

    /** Loads an adapter from the bytes of an {@code .onnx_adapter} file; {@code label} names it in messages. */
    public static LoraAdapter fromBytes(byte[] bytes, String label) {
        Objects.requireNonNull(bytes, "bytes");
        OrtRuntime rt = OrtRuntime.get();
        OrtApi api = rt.api();
        try (BytePointer data = new BytePointer(bytes)) {
            OrtLoraAdapter a = new OrtLoraAdapter();
            Statuses.check(api, api.CreateLoraAdapterFromArray(data, bytes.length, null, a),
                    () -> "loading LoRA adapter " + label + " (" + bytes.length + " bytes)");
            return new LoraAdapter(rt, a, label);
        }
    }

    /** The adapter's name in messages: its path or the label given. */
    public String label() {
        return label;
    }

    synchronized OrtLoraAdapter handle() {
        if (handle == null) {
            throw new IllegalStateException("LoRA adapter " + label + " is closed");
        }
        return handle;
    }

    public synchronized boolean isClosed() {
        return handle == null;
    }

    /** Releases the native adapter. Safe to call twice. */
    @Override
    public synchronized void close() {
        if (handle != null) {
            rt.api().ReleaseLoraAdapter(handle);
            handle = null;
        }
    }

    @Override
    public String toString() {
        return "LoraAdapter[" + label + "]";
    }
}
