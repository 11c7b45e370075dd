package io.ortune.training.artifacts;

import static io.ortune.training.artifacts.CheckpointSchema.*;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.TensorData;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads ONNX Runtime training checkpoints (version 2, identifier {@code ODTC}), written by ortune or by ONNX
 * Runtime itself: parameters, optimizer state and properties.
 *
 * <p>The checkpoint file is memory-mapped and inline tensors view the mapping (no copy). Tensors stored in the side
 * file {@code <checkpoint>.data} are {@link FileRegionData}, read only when used: do not replace that side file
 * while such tensors are still needed.
 */
public final class CheckpointReader {

    private CheckpointReader() {
    }

    /** Reads the checkpoint at {@code file}. */
    public static Checkpoint read(Path file) throws IOException {
        ByteBuffer mapped;
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE) {
                throw new CheckpointFormatException(file + ": " + size + " bytes, larger than any checkpoint "
                        + "flatbuffer can be (tensor data over 2 GiB belongs in " + externalDataPath(file) + ")");
            }
            mapped = ch.map(FileChannel.MapMode.READ_ONLY, 0, size);
        }
        return parse(mapped, file.toString(), externalDataPath(file));
    }

    /** Reads a checkpoint held in memory; it must not use external data. */
    public static Checkpoint fromBytes(byte[] bytes) throws IOException {
        return parse(ByteBuffer.wrap(bytes), "checkpoint bytes", null);
    }

    private static Checkpoint parse(ByteBuffer buffer, String source, Path dataFile) throws IOException {
        if (buffer.limit() < 8 || !FILE_IDENTIFIER.equals(FlatTable.identifier(buffer))) {
            String found = buffer.limit() < 8 ? "a " + buffer.limit() + "-byte file"
                    : "identifier '" + FlatTable.identifier(buffer) + "'";
            throw new CheckpointFormatException(source + ": not an ONNX Runtime training checkpoint (expected "
                    + "identifier '" + FILE_IDENTIFIER + "' at bytes 4..8, found " + found + ")");
        }
        FlatTable root = FlatTable.root(buffer, source);
        int version = root.getInt(CHECKPOINT_VERSION, 0);
        if (version != VERSION) {
            throw new CheckpointFormatException(source + ": checkpoint version " + version + "; ortune and ONNX "
                    + "Runtime read version " + VERSION);
        }
        TensorDecoder decoder = new TensorDecoder(source, null);
        List<Tensor> trainable = List.of();
        List<Tensor> frozen = List.of();
        FlatTable module = root.getTable(CHECKPOINT_MODULE_STATE);
        if (module != null) {
            if (module.getBool(MODULE_IS_NOMINAL_STATE, false)) {
                throw new CheckpointFormatException(source + ": a nominal checkpoint (parameter names and shapes "
                        + "without data); load it into ONNX Runtime and save a full checkpoint first");
            }
            if (module.getBool(MODULE_HAS_EXTERNAL_DATA, false)) {
                if (dataFile == null || !Files.isRegularFile(dataFile)) {
                    throw new CheckpointFormatException(source + ": its tensors use external data, but "
                            + (dataFile == null ? "it was read from memory" : dataFile + " does not exist"));
                }
                decoder = new TensorDecoder(source, dataFile);
            }
            trainable = decoder.tensors(module.getTables(MODULE_REQUIRES_GRAD_PARAMS), "trainable parameter");
            frozen = decoder.tensors(module.getTables(MODULE_FROZEN_PARAMS), "frozen parameter");
        }
        Optional<OptimizerState> optimizer = optimizerState(root, decoder, source);
        PropertyBag bag = propertyBag(root.getTable(CHECKPOINT_PROPERTY_BAG), source);
        try {
            return new Checkpoint(trainable, frozen, optimizer, bag);
        } catch (IllegalArgumentException e) {
            throw new CheckpointFormatException(source + ": " + e.getMessage());
        }
    }

    private static Optional<OptimizerState> optimizerState(FlatTable root, TensorDecoder decoder, String source)
            throws IOException {
        List<FlatTable> groups = root.getTables(CHECKPOINT_OPTIMIZER_GROUPS);
        if (groups == null || groups.isEmpty()) {
            return Optional.empty();
        }
        if (groups.size() > 1) {
            throw new CheckpointFormatException(source + ": " + groups.size() + " optimizer groups; ONNX Runtime's "
                    + "training API keeps one (" + OptimizerState.GROUP0 + ")");
        }
        FlatTable g = groups.get(0);
        String name = g.getString(GROUP_NAME);
        if (name == null) {
            throw new CheckpointFormatException(source + ": optimizer group without a name at byte " + g.position());
        }
        Map<String, Map<String, Tensor>> states = new LinkedHashMap<>();
        List<FlatTable> params = g.getTables(GROUP_OPTIMIZER_STATES);
        for (FlatTable p : params == null ? List.<FlatTable>of() : params) {
            String param = p.getString(PARAM_STATE_NAME);
            if (param == null) {
                throw new CheckpointFormatException(source + ": optimizer state without a parameter name at byte "
                        + p.position());
            }
            Map<String, Tensor> moments = new LinkedHashMap<>();
            for (Tensor t : decoder.tensors(p.getTables(PARAM_STATE_MOMENTUMS), "optimizer state of " + param)) {
                moments.put(t.name(), t);
            }
            if (states.put(param, moments) != null) {
                throw new CheckpointFormatException(source + ": optimizer state for '" + param + "' appears twice");
            }
        }
        long step = g.getLong(GROUP_STEP, 0L);
        if (step < 0) {
            throw new CheckpointFormatException(source + ": negative optimizer step " + step);
        }
        return Optional.of(new OptimizerState(name, step, g.getFloat(GROUP_INITIAL_LR, 0f), states));
    }

    private static PropertyBag propertyBag(FlatTable bag, String source) throws CheckpointFormatException {
        PropertyBag.Builder b = PropertyBag.builder();
        if (bag == null) {
            return b.build();
        }
        for (FlatTable p : orEmpty(bag.getTables(BAG_INTS))) {
            b.putInt(propertyName(p, source), p.getLong(PROPERTY_VALUE, 0L));
        }
        for (FlatTable p : orEmpty(bag.getTables(BAG_FLOATS))) {
            b.putFloat(propertyName(p, source), p.getFloat(PROPERTY_VALUE, 0f));
        }
        for (FlatTable p : orEmpty(bag.getTables(BAG_STRINGS))) {
            String name = propertyName(p, source);
            String value = p.getString(PROPERTY_VALUE);
            if (value == null) {
                throw new CheckpointFormatException(source + ": string property '" + name + "' has no value");
            }
            b.putString(name, value);
        }
        return b.build();
    }

    private static String propertyName(FlatTable p, String source) throws CheckpointFormatException {
        String name = p.getString(PROPERTY_NAME);
        if (name == null) {
            throw new CheckpointFormatException(source + ": property without a name at byte " + p.position());
        }
        return name;
    }

    private static List<FlatTable> orEmpty(List<FlatTable> l) {
        return l == null ? List.of() : l;
    }

    /** Turns flatbuffer {@code Tensor} tables into IR tensors, checking sizes. */
    private static final class TensorDecoder {
        private final String source;
        private final Path dataFile;
        private final long dataFileSize;

        TensorDecoder(String source, Path dataFile) throws IOException {
            this.source = source;
            this.dataFile = dataFile;
            this.dataFileSize = dataFile == null ? -1 : Files.size(dataFile);
        }

        List<Tensor> tensors(List<FlatTable> tables, String what) throws CheckpointFormatException {
            List<Tensor> out = new ArrayList<>();
            for (FlatTable t : orEmpty(tables)) {
                out.add(tensor(t, what));
            }
            return out;
        }

        private Tensor tensor(FlatTable t, String what) throws CheckpointFormatException {
            String name = t.getString(TENSOR_NAME);
            if (name == null) {
                throw new CheckpointFormatException(source + ": " + what + " without a name at byte " + t.position());
            }
            String label = source + ": " + what + " '" + name + "'";
            long[] dims = t.getLongs(TENSOR_DIMS);
            if (dims == null) {
                throw new CheckpointFormatException(label + " has no dims");
            }
            DataType dtype;
            try {
                dtype = DataType.fromOnnx(t.getInt(TENSOR_DATA_TYPE, 0));
            } catch (IllegalArgumentException e) {
                throw new CheckpointFormatException(label + ": " + e.getMessage());
            }
            if (dtype == DataType.STRING || dtype == DataType.UNDEFINED) {
                throw new CheckpointFormatException(label + " is " + dtype.onnxName()
                        + "; checkpoints hold numeric tensors");
            }
            long expected;
            try {
                long n = 1;
                for (long d : dims) {
                    if (d < 0) {
                        throw new CheckpointFormatException(label + " has a negative dimension");
                    }
                    n = Math.multiplyExact(n, d);
                }
                if (n > Long.MAX_VALUE / 64) {
                    throw new ArithmeticException("too many elements");
                }
                expected = dtype.byteSize(n);
            } catch (ArithmeticException e) {
                throw new CheckpointFormatException(label + " has too many elements");
            }
            TensorData data;
            long offset = t.getLong(TENSOR_EXTERNAL_DATA_OFFSET, NO_EXTERNAL_DATA);
            if (offset >= 0) {
                if (dataFile == null) {
                    throw new CheckpointFormatException(label + " points into external data, but the checkpoint "
                            + "does not declare any (has_external_data is false)");
                }
                if (offset > dataFileSize - expected) {
                    throw new CheckpointFormatException(label + " needs bytes " + offset + ".." + (offset + expected)
                            + " of " + dataFile + ", which has " + dataFileSize);
                }
                data = new FileRegionData(dataFile, offset, expected, dataFile.getFileName().toString());
            } else {
                ByteBuffer raw = t.getBytes(TENSOR_RAW_DATA);
                if (raw == null) {
                    throw new CheckpointFormatException(label + " has neither raw_data nor external data");
                }
                if (raw.remaining() != expected) {
                    throw new CheckpointFormatException(label + " (" + dtype.onnxName() + java.util.Arrays.toString(dims)
                            + ") has " + raw.remaining() + " bytes of raw_data, expected " + expected);
                }
                data = new BufferData(raw);
            }
            String doc = t.getString(TENSOR_DOC_STRING);
            return new Tensor(name, dtype, dims, data, doc, null);
        }
    }
}
