package io.ortune.training.artifacts;

import static io.ortune.training.artifacts.CheckpointSchema.*;

import com.google.flatbuffers.FlatBufferBuilder;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes ONNX Runtime training checkpoints: a flatbuffer with file identifier {@code ODTC} and version 2.
 *
 * <p>When the checkpoint's tensors hold more than {@link #externalDataThreshold()} bytes, every tensor of at least
 * {@value #MIN_EXTERNAL_TENSOR_BYTES} bytes is streamed to the side file {@code <checkpoint>.data} (the flatbuffer
 * keeps its {@code external_data_offset}), so checkpoints are not bounded by the 2 GiB a flatbuffer can address.
 *
 * <p>Each file is written to a temporary sibling and renamed into place. With external data, the side file is
 * renamed first; the pair is not replaced as one, so write checkpoints you must not lose to fresh paths. A
 * checkpoint written without external data deletes a stale {@code <checkpoint>.data} left by an earlier write.
 * Tensors are written in the order the {@link Checkpoint} lists them.
 */
public final class CheckpointWriter {

    /** Tensor bytes above which the writer moves tensor data to {@code <checkpoint>.data}: 1 GiB. */
    public static final long DEFAULT_EXTERNAL_DATA_THRESHOLD = 1L << 30;
    /** Tensors smaller than this stay inline even when a checkpoint uses external data. */
    public static final long MIN_EXTERNAL_TENSOR_BYTES = 128;
    /** Largest inline total accepted: a flatbuffer builder cannot grow past 2 GiB. */
    private static final long MAX_INLINE_BYTES = (1L << 31) - (64L << 20);

    private final long externalDataThreshold;

    public CheckpointWriter() {
        this(DEFAULT_EXTERNAL_DATA_THRESHOLD);
    }

    /** @param externalDataThreshold total tensor bytes above which data goes to a side file (0: always) */
    public CheckpointWriter(long externalDataThreshold) {
        if (externalDataThreshold < 0) {
            throw new IllegalArgumentException("externalDataThreshold must be >= 0, got " + externalDataThreshold);
        }
        this.externalDataThreshold = externalDataThreshold;
    }

    public long externalDataThreshold() {
        return externalDataThreshold;
    }

    /** Writes {@code checkpoint} to {@code file} with the default threshold. */
    public static CheckpointFiles write(Checkpoint checkpoint, Path file) throws IOException {
        return new CheckpointWriter().writeTo(checkpoint, file);
    }

    /** Writes {@code checkpoint} to {@code file} (and {@code file.data} when external data is used). */
    public CheckpointFiles writeTo(Checkpoint checkpoint, Path file) throws IOException {
        long total = 0;
        for (Tensor t : checkpoint.allTensors()) {
            total += t.byteSize();
        }
        Path dataFile = externalDataPath(file);
        Files.createDirectories(file.toAbsolutePath().getParent());
        if (total <= externalDataThreshold) {
            if (total > MAX_INLINE_BYTES) {
                throw new IOException("checkpoint " + file + " would hold " + total + " bytes inline, over the "
                        + "flatbuffer limit; use an external data threshold below " + MAX_INLINE_BYTES);
            }
            Encoded enc = encode(checkpoint, null, total);
            AtomicFiles.write(file, ch -> AtomicFiles.writeFully(ch, enc.buffer.duplicate()));
            Files.deleteIfExists(dataFile); // a stale side file would only confuse readers
            return new CheckpointFiles(file, Optional.empty(), enc.inlineBytes, 0);
        }
        Path dataTemp = AtomicFiles.createTemp(dataFile);
        boolean moved = false;
        Throwable failure = null;
        try {
            Encoded enc;
            long externalBytes;
            try (FileChannel ch = FileChannel.open(dataTemp, StandardOpenOption.WRITE)) {
                ExternalDataSink sink = new ExternalDataSink(ch);
                enc = encode(checkpoint, sink, total);
                externalBytes = sink.size();
                ch.force(true);
            }
            if (enc.inlineBytes > MAX_INLINE_BYTES) {
                throw new IOException("checkpoint " + file + " keeps " + enc.inlineBytes + " bytes inline even with "
                        + "external data (many tensors under " + MIN_EXTERNAL_TENSOR_BYTES + " bytes)");
            }
            AtomicFiles.move(dataTemp, dataFile);
            moved = true;
            AtomicFiles.write(file, ch -> AtomicFiles.writeFully(ch, enc.buffer.duplicate()));
            return new CheckpointFiles(file, Optional.of(dataFile), enc.inlineBytes, externalBytes);
        } catch (IOException | RuntimeException | Error e) {
            failure = e;
            throw e;
        } finally {
            if (!moved) {
                AtomicFiles.deleteQuietly(dataTemp, failure);
            }
        }
    }

    /** Encodes the checkpoint into a flatbuffer (for tests and in-memory use; no external data). */
    public static byte[] toBytes(Checkpoint checkpoint) throws IOException {
        long total = 0;
        for (Tensor t : checkpoint.allTensors()) {
            total += t.byteSize();
        }
        if (total > MAX_INLINE_BYTES) {
            throw new IOException("checkpoint holds " + total + " bytes, too many for one flatbuffer; write it to a "
                    + "file with external data");
        }
        ByteBuffer b = encode(checkpoint, null, total).buffer;
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    private record Encoded(ByteBuffer buffer, long inlineBytes) { }

    private static Encoded encode(Checkpoint c, ExternalDataSink sink, long totalBytes) throws IOException {
        long overhead = 64 << 10;
        for (Tensor t : c.allTensors()) {
            overhead += 3L * (t.name().length() + t.docString().length()) + 96 + 8L * t.rank();
        }
        PropertyBag bag = c.properties();
        for (String k : bag.ints().keySet()) {
            overhead += 3L * k.length() + 48;
        }
        for (String k : bag.floats().keySet()) {
            overhead += 3L * k.length() + 48;
        }
        for (Map.Entry<String, String> e : bag.strings().entrySet()) {
            overhead += 3L * (e.getKey().length() + e.getValue().length()) + 64;
        }
        // Sized up front: a flatbuffer builder that must grow past 1 GiB fails.
        long estimate = (sink == null ? totalBytes : Math.min(totalBytes, 64L << 20)) + overhead;
        FlatBufferBuilder b = new FlatBufferBuilder((int) Math.min(estimate, MAX_INLINE_BYTES));
        long[] inline = {0};

        int trainable = tensorVector(b, c.trainableParams(), sink, inline);
        int frozen = tensorVector(b, c.frozenParams(), sink, inline); // present even when empty
        b.startTable(MODULE_FIELDS);
        b.addOffset(MODULE_REQUIRES_GRAD_PARAMS, trainable, 0);
        b.addOffset(MODULE_FROZEN_PARAMS, frozen, 0);
        b.addBoolean(MODULE_IS_NOMINAL_STATE, false, false);
        b.addBoolean(MODULE_HAS_EXTERNAL_DATA, sink != null, false);
        int moduleState = b.endTable();

        List<Integer> groups = new ArrayList<>();
        if (c.optimizerState().isPresent()) {
            groups.add(optimizerGroup(b, c.optimizerState().get(), sink, inline));
        }
        int groupVector = offsetVector(b, groups);
        int bagTable = propertyBag(b, c.properties());

        b.startTable(CHECKPOINT_FIELDS);
        b.addInt(CHECKPOINT_VERSION, VERSION, 0);
        b.addOffset(CHECKPOINT_MODULE_STATE, moduleState, 0);
        b.addOffset(CHECKPOINT_OPTIMIZER_GROUPS, groupVector, 0);
        b.addOffset(CHECKPOINT_PROPERTY_BAG, bagTable, 0);
        int root = b.endTable();
        b.finish(root, FILE_IDENTIFIER);
        return new Encoded(b.dataBuffer().slice(), inline[0]);
    }

    private static int optimizerGroup(FlatBufferBuilder b, OptimizerState s, ExternalDataSink sink, long[] inline)
            throws IOException {
        List<Integer> params = new ArrayList<>();
        for (Map.Entry<String, Map<String, Tensor>> e : s.parameterStates().entrySet()) {
            int moments = tensorVector(b, new ArrayList<>(e.getValue().values()), sink, inline);
            int name = b.createString(e.getKey());
            b.startTable(PARAM_STATE_FIELDS);
            b.addOffset(PARAM_STATE_NAME, name, 0);
            b.addOffset(PARAM_STATE_MOMENTUMS, moments, 0);
            params.add(b.endTable());
        }
        int states = offsetVector(b, params);
        int name = b.createString(s.groupName());
        b.startTable(GROUP_FIELDS);
        b.addLong(GROUP_STEP, s.step(), 0L);
        b.addOffset(GROUP_NAME, name, 0);
        b.addFloat(GROUP_INITIAL_LR, s.initialLearningRate(), 0.0);
        b.addOffset(GROUP_OPTIMIZER_STATES, states, 0);
        return b.endTable();
    }

    private static int propertyBag(FlatBufferBuilder b, PropertyBag bag) {
        List<Integer> ints = new ArrayList<>();
        for (Map.Entry<String, Long> e : bag.ints().entrySet()) {
            int name = b.createString(e.getKey());
            b.startTable(PROPERTY_FIELDS);
            b.addLong(PROPERTY_VALUE, e.getValue(), 0L);
            b.addOffset(PROPERTY_NAME, name, 0);
            ints.add(b.endTable());
        }
        List<Integer> floats = new ArrayList<>();
        for (Map.Entry<String, Float> e : bag.floats().entrySet()) {
            int name = b.createString(e.getKey());
            b.startTable(PROPERTY_FIELDS);
            b.addOffset(PROPERTY_NAME, name, 0);
            b.addFloat(PROPERTY_VALUE, e.getValue(), 0.0);
            floats.add(b.endTable());
        }
        List<Integer> strings = new ArrayList<>();
        for (Map.Entry<String, String> e : bag.strings().entrySet()) {
            int name = b.createString(e.getKey());
            int value = b.createString(e.getValue());
            b.startTable(PROPERTY_FIELDS);
            b.addOffset(PROPERTY_NAME, name, 0);
            b.addOffset(PROPERTY_VALUE, value, 0);
            strings.add(b.endTable());
        }
        int iv = offsetVector(b, ints);
        int fv = offsetVector(b, floats);
        int sv = offsetVector(b, strings);
        b.startTable(BAG_FIELDS);
        b.addOffset(BAG_INTS, iv, 0);
        b.addOffset(BAG_FLOATS, fv, 0);
        b.addOffset(BAG_STRINGS, sv, 0);
        return b.endTable();
    }

    private static int tensorVector(FlatBufferBuilder b, List<Tensor> tensors, ExternalDataSink sink, long[] inline)
            throws IOException {
        List<Integer> offsets = new ArrayList<>(tensors.size());
        for (Tensor t : tensors) {
            offsets.add(tensor(b, t, sink, inline));
        }
        return offsetVector(b, offsets);
    }

    private static int tensor(FlatBufferBuilder b, Tensor t, ExternalDataSink sink, long[] inline)
            throws IOException {
        long externalOffset = NO_EXTERNAL_DATA;
        int raw = 0;
        if (sink != null && t.byteSize() >= MIN_EXTERNAL_TENSOR_BYTES) {
            externalOffset = sink.append(t);
        } else {
            raw = b.createByteVector(t.bytes());
            inline[0] += t.byteSize();
        }
        long[] dims = t.dims();
        b.startVector(8, dims.length, 8);
        for (int i = dims.length - 1; i >= 0; i--) {
            b.addLong(dims[i]);
        }
        int dimVector = b.endVector(); // always present: ONNX Runtime rejects a tensor without dims, even a scalar
        int name = b.createString(t.name());
        int doc = t.docString().isEmpty() ? 0 : b.createString(t.docString());

        b.startTable(TENSOR_FIELDS);
        b.addLong(TENSOR_EXTERNAL_DATA_OFFSET, externalOffset, NO_EXTERNAL_DATA);
        b.addOffset(TENSOR_NAME, name, 0);
        b.addOffset(TENSOR_DOC_STRING, doc, 0);
        b.addOffset(TENSOR_DIMS, dimVector, 0);
        b.addInt(TENSOR_DATA_TYPE, t.dtype().onnxCode(), 0);
        b.addOffset(TENSOR_RAW_DATA, raw, 0);
        return b.endTable();
    }

    private static int offsetVector(FlatBufferBuilder b, List<Integer> offsets) {
        b.startVector(4, offsets.size(), 4);
        for (int i = offsets.size() - 1; i >= 0; i--) {
            b.addOffset(offsets.get(i));
        }
        return b.endVector();
    }
}
