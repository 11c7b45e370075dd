package io.ortune.graph.io;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * NumPy {@code .npy} files (format versions 1, 2 and 3) to and from IR tensors: little-endian C-order arrays
 * of {@code <f2 <f4 <f8 |i1 <i2 <i4 <i8 |u1 <u2 <u4 <u8 |b1 <c8 <c16}. Reading memory-maps the data. Fortran-order,
 * big-endian, object, string and structured arrays are refused with a message saying how to convert them.
 */
public final class NpyFiles {

    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Map<String, DataType> TYPES = Map.ofEntries(
            Map.entry("f2", DataType.FLOAT16), Map.entry("f4", DataType.FLOAT), Map.entry("f8", DataType.DOUBLE),
            Map.entry("i1", DataType.INT8), Map.entry("i2", DataType.INT16), Map.entry("i4", DataType.INT32),
            Map.entry("i8", DataType.INT64), Map.entry("u1", DataType.UINT8), Map.entry("u2", DataType.UINT16),
            Map.entry("u4", DataType.UINT32), Map.entry("u8", DataType.UINT64), Map.entry("b1", DataType.BOOL),
            Map.entry("c8", DataType.COMPLEX64), Map.entry("c16", DataType.COMPLEX128));
    private static final Pattern DESCR = Pattern.compile("['\"]descr['\"]\\s*:\\s*(\\S)");
    private static final Pattern DESCR_STRING = Pattern.compile("['\"]descr['\"]\\s*:\\s*['\"]([^'\"]*)['\"]");
    private static final Pattern FORTRAN = Pattern.compile("['\"]fortran_order['\"]\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("['\"]shape['\"]\\s*:\\s*\\(([^)]*)\\)");

    private NpyFiles() {
    }

    /** Reads an array; the tensor is named after the file (without {@code .npy}). */
    public static Tensor read(Path file) throws IOException {
        String name = file.getFileName().toString();
        return read(file, name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name);
    }

    public static Tensor read(Path file, String tensorName) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size(), 12)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining() && ch.read(head) > 0) {
                // fill
            }
            head.flip();
            byte[] magic = new byte[Math.min(6, head.remaining())];
            head.get(magic);
            if (head.remaining() < 4 || !Arrays.equals(magic, MAGIC)) {
                throw new NpyFormatException(file, "not a NumPy .npy file (no \\x93NUMPY magic)");
            }
            int major = head.get() & 0xff;
            head.get(); // minor
            long headerLength;
            long start;
            if (major == 1) {
                headerLength = head.getShort(8) & 0xffff;
                start = 10;
            } else if (major == 2 || major == 3) {
                if (head.limit() < 12) {
                    throw new NpyFormatException(file, "truncated .npy header");
                }
                headerLength = head.getInt(8) & 0xffffffffL;
                start = 12;
            } else {
                throw new NpyFormatException(file, "unsupported .npy format version " + major + " (known: 1, 2, 3)");
            }
            if (start + headerLength > ch.size()) {
                throw new NpyFormatException(file, "truncated .npy header");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) headerLength);
            ch.read(hb, start);
            String header = new String(hb.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
            DataType dtype = dtype(file, header);
            long[] dims = shape(file, header);
            long dataStart = start + headerLength;
            long elements = 1;
            for (long d : dims) {
                elements = Math.multiplyExact(elements, d);
            }
            long expected = dtype.byteSize(elements);
            long actual = ch.size() - dataStart;
            if (actual != expected) {
                throw new NpyFormatException(file, "shape " + Arrays.toString(dims) + " of " + dtype.onnxName()
                        + " needs " + expected + " data bytes but the file has " + actual);
            }
            if (expected > Integer.MAX_VALUE) {
                throw new NpyFormatException(file, "arrays over 2 GiB are not supported");
            }
            ByteBuffer data = ch.map(FileChannel.MapMode.READ_ONLY, dataStart, expected);
            return new Tensor(tensorName, dtype, dims, new BufferData(data));
        }
    }

    /** Writes {@code tensor} as a version 1 (or, for huge headers, 2) {@code .npy} file, atomically. */
    public static void write(Tensor tensor, Path file) throws IOException {
        Path target = file.toAbsolutePath().normalize();
        String descr = descr(tensor.dtype(), target);
        StringBuilder dims = new StringBuilder("(");
        for (long d : tensor.dims()) {
            dims.append(d).append(", ");
        }
        if (tensor.rank() > 0) {
            dims.setLength(dims.length() - 2);
            if (tensor.rank() == 1) {
                dims.append(',');
            }
        }
        dims.append(')');
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + dims + ", }";
        int prefix = dict.length() + 1 > 65535 - 64 ? 12 : 10;
        int pad = (64 - (prefix + dict.length() + 1) % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer head = ByteBuffer.allocate(prefix + header.length()).order(ByteOrder.LITTLE_ENDIAN);
        head.put(MAGIC).put((byte) (prefix == 10 ? 1 : 2)).put((byte) 0);
        if (prefix == 10) {
            head.putShort((short) header.length());
        } else {
            head.putInt(header.length());
        }
        head.put(header.getBytes(StandardCharsets.ISO_8859_1)).flip();

        AtomicFiles.write(target, ch -> {
            AtomicFiles.writeFully(ch, head);
            tensor.data().writeTo(ch);
        });
    }

    private static DataType dtype(Path file, String header) throws NpyFormatException {
        Matcher any = DESCR.matcher(header);
        if (!any.find()) {
            throw new NpyFormatException(file, "the header has no 'descr': " + header.trim());
        }
        if (any.group(1).equals("[")) {
            throw new NpyFormatException(file, "structured (record) arrays are not supported; save one array per field");
        }
        Matcher m = DESCR_STRING.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException(file, "cannot read 'descr' in header " + header.trim());
        }
        String descr = m.group(1);
        Matcher f = FORTRAN.matcher(header);
        if (f.find() && f.group(1).equals("True")) {
            throw new NpyFormatException(file, "Fortran-order (column-major) arrays are not supported;"
                    + " save np.ascontiguousarray(a) instead");
        }
        String kind = descr.isEmpty() ? "" : descr.substring(1);
        char order = descr.isEmpty() ? '?' : descr.charAt(0);
        if (kind.startsWith("O")) {
            throw new NpyFormatException(file, "object arrays (dtype '" + descr + "', pickled Python objects) are not"
                    + " supported");
        }
        if (kind.startsWith("U") || kind.startsWith("S")) {
            throw new NpyFormatException(file, "string arrays (dtype '" + descr + "') are not supported");
        }
        DataType dt = TYPES.get(kind);
        if (dt == null || "<>|=".indexOf(order) < 0) {
            throw new NpyFormatException(file, "unsupported dtype '" + descr + "'; supported: <f2 <f4 <f8 |i1 <i2 <i4"
                    + " <i8 |u1 <u2 <u4 <u8 |b1 <c8 <c16");
        }
        boolean big = order == '>' || (order == '=' && ByteOrder.nativeOrder() == ByteOrder.BIG_ENDIAN);
        if (big && dt.bits() > 8) {
            throw new NpyFormatException(file, "big-endian dtype '" + descr + "' is not supported;"
                    + " save a.astype(a.dtype.newbyteorder('<')) instead");
        }
        return dt;
    }

    private static long[] shape(Path file, String header) throws NpyFormatException {
        Matcher m = SHAPE.matcher(header);
        if (!m.find()) {
            throw new NpyFormatException(file, "the header has no 'shape': " + header.trim());
        }
        List<Long> dims = new ArrayList<>();
        for (String part : m.group(1).split(",")) {
            String p = part.trim();
            if (p.endsWith("L")) {
                p = p.substring(0, p.length() - 1);
            }
            if (p.isEmpty()) {
                continue;
            }
            try {
                long d = Long.parseLong(p);
                if (d < 0) {
                    throw new NumberFormatException();
                }
                dims.add(d);
            } catch (NumberFormatException e) {
                throw new NpyFormatException(file, "bad dimension '" + part.trim() + "' in shape (" + m.group(1) + ")");
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }

    private static String descr(DataType dt, Path file) throws NpyFormatException {
        for (Map.Entry<String, DataType> e : TYPES.entrySet()) {
            if (e.getValue() == dt) {
                return (dt.bits() == 8 ? "|" : "<") + e.getKey();
            }
        }
        throw new NpyFormatException(file, "NumPy has no dtype for " + dt.onnxName() + "; convert the tensor first");
    }
}
