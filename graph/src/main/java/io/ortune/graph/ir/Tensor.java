package io.ortune.graph.ir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * A constant tensor: element type, dimensions and data (in memory, memory-mapped, or lazily in a file).
 * Immutable; "changing" a tensor means making a new one.
 */
public final class Tensor {

    private final String name;
    private final DataType dtype;
    private final long[] dims;
    private final TensorData data;
    private final String docString;
    private final Unmodeled unmodeled;

    public Tensor(String name, DataType dtype, long[] dims, TensorData data, String docString, Unmodeled unmodeled) {
        this.name = Objects.requireNonNull(name, "name");
        this.dtype = Objects.requireNonNull(dtype, "dtype");
        this.dims = dims.clone();
        this.data = Objects.requireNonNull(data, "data");
        this.docString = docString == null ? "" : docString;
        this.unmodeled = unmodeled == null ? Unmodeled.NONE : unmodeled;
        for (long d : this.dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor '" + name + "' has a negative dimension: "
                        + Arrays.toString(dims));
            }
        }
        if (dtype != DataType.STRING && dtype != DataType.UNDEFINED) {
            long expected = dtype.byteSize(elementCount());
            if (data.byteSize() != expected) {
                throw new IllegalArgumentException("tensor '" + name + "' (" + dtype.onnxName() + Arrays.toString(dims)
                        + ") needs " + expected + " bytes of data but has " + data.byteSize());
            }
        }
    }

    public Tensor(String name, DataType dtype, long[] dims, TensorData data) {
        this(name, dtype, dims, data, "", Unmodeled.NONE);
    }

    // ---- factories ---------------------------------------------------------------------------------------------

    public static Tensor ofBytes(String name, DataType dtype, long[] dims, byte[] littleEndian) {
        return new Tensor(name, dtype, dims, BufferData.wrap(littleEndian));
    }

    public static Tensor ofFloats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new Tensor(name, DataType.FLOAT, dims, new BufferData(b));
    }

    public static Tensor ofDoubles(String name, long[] dims, double... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new Tensor(name, DataType.DOUBLE, dims, new BufferData(b));
    }

    public static Tensor ofInts(String name, long[] dims, int... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(values);
        return new Tensor(name, DataType.INT32, dims, new BufferData(b));
    }

    public static Tensor ofLongs(String name, long[] dims, long... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new Tensor(name, DataType.INT64, dims, new BufferData(b));
    }

    public static Tensor ofBooleans(String name, long[] dims, boolean... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) (values[i] ? 1 : 0);
        }
        return ofBytes(name, DataType.BOOL, dims, bytes);
    }

    public static Tensor scalarFloat(String name, float v) {
        return ofFloats(name, new long[0], v);
    }

    public static Tensor scalarLong(String name, long v) {
        return ofLongs(name, new long[0], v);
    }

    /** A 1-D INT64 tensor, the usual form of shapes and axes. */
    public static Tensor vectorLong(String name, long... values) {
        return ofLongs(name, new long[] {values.length}, values);
    }

    // ---- accessors ---------------------------------------------------------------------------------------------

    public String name() {
        return name;
    }

    public DataType dtype() {
        return dtype;
    }

    public long[] dims() {
        return dims.clone();
    }

    public int rank() {
        return dims.length;
    }

    public TensorData data() {
        return data;
    }

    public String docString() {
        return docString;
    }

    public Unmodeled unmodeled() {
        return unmodeled;
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    public long byteSize() {
        return data.byteSize();
    }

    /** Read-only little-endian bytes (maps lazy data). */
    public ByteBuffer bytes() {
        return data.read();
    }

    public Tensor withName(String newName) {
        return new Tensor(newName, dtype, dims, data, docString, unmodeled);
    }

    public Tensor withData(DataType newType, long[] newDims, TensorData newData) {
        return new Tensor(name, newType, newDims, newData, docString, unmodeled);
    }

    // ---- typed reads -------------------------------------------------------------------------------------------

    public float[] toFloats() {
        requireType(DataType.FLOAT);
        float[] out = new float[Math.toIntExact(elementCount())];
        bytes().asFloatBuffer().get(out);
        return out;
    }

    public double[] toDoubles() {
        requireType(DataType.DOUBLE);
        double[] out = new double[Math.toIntExact(elementCount())];
        bytes().asDoubleBuffer().get(out);
        return out;
    }

    public int[] toInts() {
        requireType(DataType.INT32);
        int[] out = new int[Math.toIntExact(elementCount())];
        bytes().asIntBuffer().get(out);
        return out;
    }

    public long[] toLongs() {
        requireType(DataType.INT64);
        long[] out = new long[Math.toIntExact(elementCount())];
        bytes().asLongBuffer().get(out);
        return out;
    }

    /** Integer values of any integer or bool type widened to long (INT64 shape constants, INT32 axes, ...). */
    public long[] toLongsWidening() {
        int n = Math.toIntExact(elementCount());
        long[] out = new long[n];
        ByteBuffer b = bytes();
        for (int i = 0; i < n; i++) {
            out[i] = switch (dtype) {
                case INT64, UINT64 -> b.getLong(i * 8);
                case INT32 -> b.getInt(i * 4);
                case UINT32 -> Integer.toUnsignedLong(b.getInt(i * 4));
                case INT16 -> b.getShort(i * 2);
                case UINT16 -> Short.toUnsignedInt(b.getShort(i * 2));
                case INT8 -> b.get(i);
                case UINT8, BOOL -> Byte.toUnsignedInt(b.get(i));
                default -> throw new IllegalStateException("tensor '" + name + "' is " + dtype.onnxName()
                        + ", not an integer type");
            };
        }
        return out;
    }

    private void requireType(DataType expected) {
        if (dtype != expected) {
            throw new IllegalStateException("tensor '" + name + "' is " + dtype.onnxName() + ", not "
                    + expected.onnxName());
        }
    }

    /** True when type, dims and bytes are the same (names and doc strings ignored). */
    public boolean contentEquals(Tensor other) {
        if (dtype != other.dtype || !Arrays.equals(dims, other.dims)) {
            return false;
        }
        if (data instanceof StringData s && other.data instanceof StringData t) {
            if (s.strings().size() != t.strings().size()) {
                return false;
            }
            for (int i = 0; i < s.strings().size(); i++) {
                if (!Arrays.equals(s.strings().get(i), t.strings().get(i))) {
                    return false;
                }
            }
            return true;
        }
        if (data.byteSize() != other.data.byteSize()) {
            return false;
        }
        return bytes().equals(other.bytes());
    }

    @Override
    public String toString() {
        return name + ": " + dtype.onnxName() + Arrays.toString(dims);
    }
}
