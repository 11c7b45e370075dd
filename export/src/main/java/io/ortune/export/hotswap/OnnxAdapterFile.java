package io.ortune.export.hotswap;

import com.google.flatbuffers.FlatBufferBuilder;
import io.ortune.export.adapter.AdapterException;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.graph.io.ReadableFiles;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes ONNX Runtime's LoRA adapter files ({@code .onnx_adapter}): a flatbuffer with file identifier
 * {@code TORT}, schema {@code adapter_schema.fbs} — {@code Adapter{format_version, adapter_version, model_version,
 * parameters}}, {@code Parameter{name, dims, data_type, raw_data}} with {@code raw_data} 8-byte aligned and
 * little-endian, as {@code CreateLoraAdapter} expects.
 *
 * <p>Writes are atomic (temporary sibling, then rename) and nothing is written when the adapter is refused.
 * Reads check every offset against the file and every parameter's byte count against its dims; a bad file fails
 * with an {@link AdapterException} naming the file, the parameter and what is wrong.
 */
public final class OnnxAdapterFile {

    /** The flatbuffer file identifier of adapter files. */
    public static final String IDENTIFIER = "TORT";
    /** The file extension ONNX Runtime uses. */
    public static final String EXTENSION = ".onnx_adapter";
    /** A flatbuffer cannot address more than 2 GiB. */
    private static final long MAX_BYTES = (1L << 31) - (16L << 20);

    // Field slots of the schema's tables (the order of the fields in adapter_schema.fbs).
    static final int ADAPTER_FORMAT_VERSION = 0;
    static final int ADAPTER_ADAPTER_VERSION = 1;
    static final int ADAPTER_MODEL_VERSION = 2;
    static final int ADAPTER_PARAMETERS = 3;
    static final int PARAM_NAME = 0;
    static final int PARAM_DIMS = 1;
    static final int PARAM_DATA_TYPE = 2;
    static final int PARAM_RAW_DATA = 3;

    private OnnxAdapterFile() {
    }

    /** Writes {@code adapter} to {@code file} atomically. */
    public static void write(OnnxAdapter adapter, Path file) throws IOException {
        byte[] bytes = toBytes(adapter);
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        AtomicFiles.write(file, bytes);
    }

    /** The file's bytes. */
    public static byte[] toBytes(OnnxAdapter adapter) {
        long total = adapter.byteSize();
        if (total > MAX_BYTES) {
            throw new AdapterException("onnx_adapter", "its parameters hold " + total + " bytes; an .onnx_adapter "
                    + "flatbuffer holds at most " + MAX_BYTES);
        }
        FlatBufferBuilder b = new FlatBufferBuilder((int) Math.min(MAX_BYTES, total + 1024 + 256L
                * adapter.parameters().size()));
        int[] params = new int[adapter.parameters().size()];
        for (int i = 0; i < params.length; i++) {
            params[i] = parameter(b, adapter.parameters().get(i));
        }
        int vector = b.createVectorOfTables(params);
        b.startTable(4);
        b.addInt(ADAPTER_FORMAT_VERSION, OnnxAdapter.FORMAT_VERSION, Integer.MIN_VALUE);
        b.addInt(ADAPTER_ADAPTER_VERSION, adapter.adapterVersion(), Integer.MIN_VALUE);
        b.addInt(ADAPTER_MODEL_VERSION, adapter.modelVersion(), Integer.MIN_VALUE);
        b.addOffset(ADAPTER_PARAMETERS, vector, 0);
        b.finish(b.endTable(), IDENTIFIER);
        return b.sizedByteArray();
    }

    private static int parameter(FlatBufferBuilder b, Tensor t) {
        ByteBuffer src = t.bytes().duplicate();
        int n = src.remaining();
        ByteBuffer raw = b.createUnintializedVector(1, n, 8);
        raw.put(src);
        int data = b.endVector();
        long[] dims = t.dims();
        b.startVector(8, dims.length, 8);
        for (int i = dims.length - 1; i >= 0; i--) {
            b.addLong(dims[i]);
        }
        int dimsVec = b.endVector();
        int name = b.createString(t.name());
        b.startTable(4);
        b.addOffset(PARAM_NAME, name, 0);
        b.addOffset(PARAM_DIMS, dimsVec, 0);
        b.addInt(PARAM_DATA_TYPE, t.dtype().onnxCode(), Integer.MIN_VALUE);
        b.addOffset(PARAM_RAW_DATA, data, 0);
        return b.endTable();
    }

    /** Reads and checks the adapter file {@code file}. */
    public static OnnxAdapter read(Path file) throws IOException {
        ReadableFiles.file(file, "onnx_adapter file");
        return fromBytes(Files.readAllBytes(file), file.toString());
    }

    /** Reads and checks an adapter from its bytes; {@code source} names it in messages. */
    public static OnnxAdapter fromBytes(byte[] bytes, String source) {
        ByteBuffer bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        FlatView root = FlatView.root(bb, source);
        String id = FlatView.identifier(bb);
        if (!IDENTIFIER.equals(id)) {
            throw new AdapterException(source, "file identifier is '" + printable(id) + "', not '" + IDENTIFIER
                    + "': not an ONNX Runtime .onnx_adapter file");
        }
        int format = root.getInt(ADAPTER_FORMAT_VERSION, 0);
        if (format != OnnxAdapter.FORMAT_VERSION) {
            throw new AdapterException(source, "format_version is " + format + "; this reader knows "
                    + OnnxAdapter.FORMAT_VERSION);
        }
        List<Tensor> params = new ArrayList<>();
        List<String> issues = new ArrayList<>();
        for (FlatView p : root.getTables(ADAPTER_PARAMETERS)) {
            Tensor t = parameter(p, params.size(), issues);
            if (t != null) {
                params.add(t);
            }
        }
        if (!issues.isEmpty()) {
            throw new AdapterException(source, issues);
        }
        try {
            return new OnnxAdapter(root.getInt(ADAPTER_ADAPTER_VERSION, 0), root.getInt(ADAPTER_MODEL_VERSION, 0),
                    params);
        } catch (AdapterException e) {
            throw new AdapterException(source, e.issues());
        }
    }

    private static Tensor parameter(FlatView p, int index, List<String> issues) {
        String name = p.getString(PARAM_NAME);
        String what = name == null ? "parameter #" + index : "parameter '" + name + "'";
        if (name == null || name.isEmpty()) {
            issues.add(what + " has no name");
            return null;
        }
        long[] dims = p.getLongs(PARAM_DIMS);
        int code = p.getInt(PARAM_DATA_TYPE, 0);
        if (code <= 0 || code > OnnxAdapter.MAX_TYPE_CODE || code == DataType.STRING.onnxCode()) {
            issues.add(what + " has data_type " + code + "; expected a numeric ONNX type code 1..20 but 8 (string)");
            return null;
        }
        DataType dt = DataType.fromOnnx(code);
        long count = 1;
        for (long d : dims) {
            if (d < 0 || (d > 0 && count > Long.MAX_VALUE / d)) {
                issues.add(what + " has dims " + java.util.Arrays.toString(dims) + ": not a valid shape");
                return null;
            }
            count *= d;
        }
        byte[] raw = p.getBytes(PARAM_RAW_DATA);
        long expected = dt.byteSize(count);
        if (raw.length != expected) {
            issues.add(what + " (" + dt.onnxName() + java.util.Arrays.toString(dims) + ") holds " + raw.length
                    + " bytes of raw_data; its dims need " + expected);
            return null;
        }
        return Tensor.ofBytes(name, dt, dims, raw);
    }

    private static String printable(String id) {
        StringBuilder sb = new StringBuilder();
        for (char c : id.toCharArray()) {
            sb.append(c >= 32 && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c));
        }
        return sb.toString();
    }
}
