package io.ortune.runtime;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Tensor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.Objects;
import java.util.Set;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.LongPointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.onnxruntime.OrtCheckpointState;
import org.bytedeco.onnxruntime.OrtTrainingApi;
import org.bytedeco.onnxruntime.OrtValue;

/**
 * An ONNX Runtime training checkpoint in memory: parameters, optimizer state and a property bag. Load it from the
 * flatbuffer file ortune's training module (or ONNX Runtime's {@code generate_artifacts}) writes, hand it to
 * {@link TrainingSession}s, save it back.
 *
 * <p>Training sessions read and update the parameters held here, so the state must outlive them: closing it while a
 * session still uses it is allowed, and the native release then happens when the last such session closes. Reading
 * or updating single parameters needs an open session over the state (an ONNX Runtime rule). Not thread-safe; use it
 * from the thread that drives training.
 */
public final class CheckpointState implements AutoCloseable {

    private final OrtRuntime rt;
    private final String label;
    private OrtCheckpointState handle;
    private boolean closeRequested;
    private int sessions;

    private CheckpointState(OrtRuntime rt, OrtCheckpointState handle, String label) {
        this.rt = rt;
        this.handle = handle;
        this.label = label;
    }

    /** Loads a checkpoint file. */
    public static CheckpointState load(Path file) {
        OrtRuntime rt = OrtRuntime.get();
        OrtTrainingApi t = rt.trainingApi();
        OrtCheckpointState state = new OrtCheckpointState();
        try (BytePointer path = NativeSessionOptions.path(file)) {
            Statuses.check(rt.api(), t.LoadCheckpoint(path, state), () -> "loading checkpoint " + file);
        }
        return new CheckpointState(rt, state, file.toString());
    }

    /** Loads a checkpoint from the bytes of a checkpoint file. */
    public static CheckpointState fromBytes(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        OrtRuntime rt = OrtRuntime.get();
        OrtTrainingApi t = rt.trainingApi();
        OrtCheckpointState state = new OrtCheckpointState();
        String label = "in-memory checkpoint (" + bytes.length + " bytes)";
        try (BytePointer data = new BytePointer(bytes)) {
            Statuses.check(rt.api(), t.LoadCheckpointFromBuffer(data, bytes.length, state), () -> "loading " + label);
        }
        return new CheckpointState(rt, state, label);
    }

    /** Where this checkpoint came from, for messages. */
    public String label() {
        return label;
    }

    /**
     * Saves the checkpoint to {@code file}, through a temporary file in the same folder renamed into place, so a
     * failure never leaves a half-written checkpoint behind. A large checkpoint's external data file (ONNX Runtime
     * writes it next to the checkpoint, named after it plus {@code .data}) is moved along.
     */
    public void save(Path file, boolean includeOptimizerState) {
        Path target = file.toAbsolutePath().normalize();
        Path dataTarget = target.resolveSibling(target.getFileName() + ".data");
        Path temp = null;
        Path tempData = null;
        boolean committed = false;
        Throwable failure = null;
        try {
            temp = AtomicFiles.createTemp(target);
            tempData = temp.resolveSibling(temp.getFileName() + ".data");
            Set<PosixFilePermission> defaults = AtomicFiles.permissions(temp);
            try (BytePointer path = NativeSessionOptions.path(temp)) {
                Statuses.check(rt.api(), rt.trainingApi().SaveCheckpoint(requireOpen(), path, includeOptimizerState),
                        () -> "saving checkpoint to " + target);
            }
            AtomicFiles.setPermissions(temp, defaults);
            AtomicFiles.force(temp, target);
            if (Files.exists(tempData)) {
                AtomicFiles.setPermissions(tempData, defaults);
                AtomicFiles.force(tempData, dataTarget);
                AtomicFiles.move(tempData, dataTarget);
            }
            AtomicFiles.move(temp, target);
            committed = true;
            AtomicFiles.syncFolder(target.getParent());
        } catch (IOException e) {
            failure = e;
            throw new UncheckedIOException(e.getMessage(), e);
        } catch (RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (!committed) {
                AtomicFiles.deleteQuietly(temp, failure);
            }
            AtomicFiles.deleteQuietly(tempData, failure);
        }
    }

    /**
     * A copy of the parameter {@code name}. Only while a {@link TrainingSession} uses this checkpoint: ONNX Runtime
     * copies parameters through that session's data transfer manager.
     */
    public Tensor parameter(String name) {
        requireSession("read parameter '" + name + "'");
        OrtValue v = new OrtValue();
        Statuses.check(rt.api(), rt.trainingApi().GetParameter(requireOpen(), name, rt.allocator(), v),
                () -> "reading parameter '" + name + "' of " + label);
        try (NativeTensor t = NativeTensor.adopt(rt, v, "parameter '" + name + "'")) {
            return t.toTensor(name);
        }
    }

    /**
     * Replaces the values of parameter {@code name}; type and shape must match the parameter's. Only while a
     * {@link TrainingSession} uses this checkpoint, as for {@link #parameter}.
     */
    public void updateParameter(String name, Tensor value) {
        requireSession("update parameter '" + name + "'");
        try (NativeTensor t = NativeTensor.fromTensor(value)) {
            Statuses.check(rt.api(), rt.trainingApi().UpdateParameter(requireOpen(), name, t.handle()),
                    () -> "updating parameter '" + name + "' of " + label + " with " + t);
        }
    }

    /** Adds or replaces a property. */
    public void setProperty(String name, CheckpointProperty value) {
        OrtTrainingApi t = rt.trainingApi();
        String ctx = "setting property '" + name + "' of " + label;
        Pointer data;
        if (value instanceof CheckpointProperty.IntValue i) {
            data = new LongPointer(1).put(i.value());
        } else if (value instanceof CheckpointProperty.FloatValue f) {
            data = new FloatPointer(1).put(f.value());
        } else {
            data = new BytePointer(((CheckpointProperty.StringValue) value).value(), StandardCharsets.UTF_8);
        }
        try (Pointer p = data; BytePointer n = new BytePointer(name, StandardCharsets.UTF_8)) {
            Statuses.check(rt.api(), t.AddProperty(requireOpen(), n, value.ortType(), p), ctx);
        }
    }

    /** The property {@code name}; ONNX Runtime reports an unknown name as an error. */
    public CheckpointProperty property(String name) {
        OrtTrainingApi t = rt.trainingApi();
        try (BytePointer n = new BytePointer(name, StandardCharsets.UTF_8); IntPointer type = new IntPointer(1);
             PointerPointer<Pointer> value = new PointerPointer<>(1)) {
            Statuses.check(rt.api(), t.GetProperty(requireOpen(), n, rt.allocator(), type, value),
                    () -> "reading property '" + name + "' of " + label);
            Pointer p = value.get(0);
            try {
                switch (type.get()) {
                    case 0:
                        return CheckpointProperty.of(new LongPointer(p).get());
                    case 1:
                        return CheckpointProperty.of(new FloatPointer(p).get());
                    case 2:
                        return CheckpointProperty.of(new BytePointer(p).getString(StandardCharsets.UTF_8));
                    default:
                        throw new IllegalStateException("property '" + name + "' has ONNX Runtime property type "
                                + type.get() + ", which ortune does not know");
                }
            } finally {
                rt.api().AllocatorFree(rt.allocator(), p);
            }
        }
    }

    // ---- lifetime ----------------------------------------------------------------------------------------------

    OrtCheckpointState requireOpen() {
        if (handle == null || closeRequested) {
            throw new IllegalStateException("checkpoint " + label + " is closed");
        }
        return handle;
    }

    private void requireSession(String action) {
        requireOpen();
        if (sessions == 0) {
            throw new IllegalStateException("cannot " + action + " of " + label + " with no open TrainingSession "
                    + "over it: ONNX Runtime copies parameters through a session (create one first)");
        }
    }

    /** A training session starts using this state. */
    void attach() {
        requireOpen();
        sessions++;
    }

    /** A training session stopped using this state; releases it if it was closed meanwhile. */
    void detach() {
        sessions--;
        if (sessions == 0 && closeRequested) {
            release();
        }
    }

    public boolean isClosed() {
        return closeRequested || handle == null;
    }

    /**
     * Releases the native state, or, while training sessions still use it, marks it closed and releases it when the
     * last of them closes. Safe to call twice.
     */
    @Override
    public void close() {
        closeRequested = true;
        if (sessions == 0) {
            release();
        }
    }

    private void release() {
        if (handle != null) {
            rt.trainingApi().ReleaseCheckpointState(handle);
            handle = null;
        }
    }

    @Override
    public String toString() {
        return "CheckpointState[" + label + (isClosed() ? ", closed" : "") + "]";
    }
}
