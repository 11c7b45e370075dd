package io.ortune.graph.onnx;

import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.proto.OnnxProtos.ModelProto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.WritableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Writes the IR as a standard {@code .onnx} file, optionally with an external data side file.
 *
 * <p>Nothing is written in place: the model (and its side file) go to temporary files in the target folder, are
 * forced to disk, and only then renamed over the targets; on any failure the temporary files are deleted and an
 * existing model at the target is left as it was. Tensor bytes are streamed, never gathered in memory: inline data
 * is streamed into the protobuf output as it is written, external data copied file to file (also from the
 * external data of the model that was read, which the new file never refers to).
 *
 * <p>Replacing a model also removes the data file it leaves stale: the conventional {@code <model>.data} next to
 * the target when the new model does not reference it (a model converted back to inline weights, or written with
 * another data file name). Tensors of the in-memory model that read that file are rebound first (to the new data
 * file, or to heap copies), so the model stays usable.
 *
 * <pre>{@code
 * OnnxWriter.write(model, Path.of("out/model.onnx"), WriteOptions.externalData());
 * }</pre>
 */
public final class OnnxWriter {

    private OnnxWriter() {
    }

    /** Writes with every tensor inline. */
    public static void write(Model model, Path file) throws IOException {
        write(model, file, WriteOptions.inline());
    }

    /**
     * Writes {@code model} to {@code file} as {@code options} say. When the write replaces the external data file
     * the model's own tensors were reading, those tensors are rebound to the new file, so {@code model} stays
     * usable.
     *
     * @throws OnnxFormatException when the model does not fit in one protobuf message without external data
     */
    public static void write(Model model, Path file, WriteOptions options) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        Path folder = target.getParent();
        String name = target.getFileName().toString();
        ExternalDataWriter external = null;
        if (options.external()) {
            external = new ExternalDataWriter(folder, options.dataFileNameFor(name), options.alignment());
            if (external.target().equals(target)) {
                throw new IllegalArgumentException("the external data file cannot be the model file itself: " + target);
            }
        }
        Path tempModel = null;
        Path backup = null;
        boolean committed = false;
        Throwable failure = null;
        try {
            TensorEncoder tensors = new TensorEncoder(target.toString(), external, options.sizeThreshold());
            ModelProto proto = new ModelEncoder(tensors).encode(model);
            WireFiller filler = filler(proto.toByteArray(), tensors, target.toString());
            boolean withData = external != null && external.used();
            Rebinder rebinder = withData ? Rebinder.plan(model.graph(), external.target(), tensors.written()) : null;
            Path stale = staleDataFile(target, withData ? external.target() : null);
            Rebinder staleRebinder = stale == null ? null : Rebinder.plan(model.graph(), stale, tensors.written());
            if (withData) {
                external.finish();
            }
            tempModel = AtomicFiles.createTemp(target);
            try (FileChannel ch = FileChannel.open(tempModel, StandardOpenOption.WRITE)) {
                filler.write(Wire.Msg.MODEL, ch);
                ch.force(true);
            }
            if (withData) {
                if (Files.exists(external.target())) {
                    backup = AtomicFiles.createTemp(folder.resolve(external.target().getFileName() + ".old"));
                    AtomicFiles.move(external.target(), backup);
                }
                AtomicFiles.move(external.temp(), external.target());
            }
            AtomicFiles.move(tempModel, target);
            committed = true;
            AtomicFiles.syncFolder(folder);
            if (rebinder != null) {
                rebinder.apply(model.graph());
            }
            if (staleRebinder != null) {
                staleRebinder.apply(model.graph());
            }
            if (stale != null) {
                removeStale(stale, target);
            }
        } catch (Throwable t) {
            failure = t;
            throw t;
        } finally {
            if (!committed) {
                if (backup != null && external != null) {
                    restore(backup, external.target(), failure);
                }
                closeQuietly(external, failure);
                AtomicFiles.deleteQuietly(tempModel, failure);
                AtomicFiles.deleteQuietly(external == null ? null : external.temp(), failure);
            }
            AtomicFiles.deleteQuietly(backup, failure);
        }
    }

    /**
     * The data file a write to {@code target} leaves stale, or null: the conventional {@code <model>.data} beside an
     * existing model at {@code target}, when the new model does not use it ({@code newData} is the data file it
     * references, or null).
     */
    private static Path staleDataFile(Path target, Path newData) {
        String name = target.getFileName().toString();
        Path conventional = target.resolveSibling(WriteOptions.inline().dataFileNameFor(name));
        if (!Files.isRegularFile(target) || !Files.isRegularFile(conventional)) {
            return null;
        }
        return conventional.equals(newData) ? null : conventional;
    }

    private static void removeStale(Path stale, Path target) throws IOException {
        try {
            Files.deleteIfExists(stale);
        } catch (IOException e) {
            throw new IOException("wrote " + target + ", but could not remove the external data file " + stale
                    + " it no longer references: " + e.getMessage(), e);
        }
    }

    /** The model as bytes, every tensor inline (for in-memory sessions). */
    public static byte[] toBytes(Model model) throws IOException {
        String source = "<in-memory model>";
        TensorEncoder tensors = new TensorEncoder(source, null, 0);
        ModelProto proto = new ModelEncoder(tensors).encode(model);
        WireFiller filler = filler(proto.toByteArray(), tensors, source);
        ByteBuffer out = ByteBuffer.allocate((int) filler.size(Wire.Msg.MODEL));
        filler.write(Wire.Msg.MODEL, new BufferChannel(out));
        return out.array();
    }

    /** The filler for a hollow message, once its full size is known to fit protobuf's 2 GiB limit. */
    static WireFiller filler(byte[] hollow, TensorEncoder tensors, String target) throws OnnxFormatException {
        WireFiller filler = new WireFiller(hollow, tensors.pending());
        long size = filler.size(Wire.Msg.MODEL);
        if (size > TensorEncoder.PROTOBUF_LIMIT) {
            throw new OnnxFormatException(target, "the model serializes to " + size + " bytes, over protobuf's 2 GiB"
                    + " limit for one message; write it with external data, e.g. WriteOptions.externalData()");
        }
        return filler;
    }

    /** A channel that writes into a heap buffer. */
    static final class BufferChannel implements WritableByteChannel {
        private final ByteBuffer target;

        BufferChannel(ByteBuffer target) {
            this.target = target;
        }

        @Override
        public int write(ByteBuffer src) {
            int n = src.remaining();
            target.put(src);
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {
        }
    }

    private static void restore(Path backup, Path original, Throwable failure) {
        try {
            AtomicFiles.move(backup, original);
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }

    private static void closeQuietly(ExternalDataWriter w, Throwable failure) {
        if (w == null) {
            return;
        }
        try {
            w.close();
        } catch (IOException e) {
            if (failure != null) {
                failure.addSuppressed(e);
            }
        }
    }
}
