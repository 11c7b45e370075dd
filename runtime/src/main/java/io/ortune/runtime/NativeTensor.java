package io.ortune.runtime;

import io.ortune.graph.ir.BufferData;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.StringData;
import io.ortune.graph.ir.Tensor;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtTensorTypeAndShapeInfo;
import org.bytedeco.onnxruntime.OrtValue;

/**
 * A tensor in memory ONNX Runtime can read directly: an {@code OrtValue} over either a direct buffer you own
 * ({@link #wrap}, no copy), native memory this object owns ({@link #fromTensor} of a heap tensor), or memory ONNX
 * Runtime allocated (session outputs, {@link #allocate}).
 *
 * <p>This is the low-level path for benchmarks and hot loops: create inputs once, fill their {@link #buffer()}, and
 * run again and again without copies. Close it to release the native value (and the memory it owns); the views
 * returned by {@link #buffer()} must not be used after that. A wrapped buffer stays referenced by this object until
 * it is closed, so it cannot be collected while ONNX Runtime may read it. Not thread-safe.
 */
public final class NativeTensor implements AutoCloseable {

    private final OrtRuntime rt;
    private final DataType dtype;
    private final long[] dims;
    private OrtValue value;
    /** Keeps the Java buffer or native block under the value reachable; freed (if native) on close. */
    private Object backing;

    private NativeTensor(OrtRuntime rt, OrtValue value, DataType dtype, long[] dims, Object backing) {
        this.rt = rt;
        this.value = value;
        this.dtype = dtype;
        this.dims = dims;
        this.backing = backing;
    }

    // ---- factories ---------------------------------------------------------------------------------------------

    /**
     * A tensor over {@code data} without copying: ONNX Runtime reads (and for outputs, writes) the buffer in place.
     * The buffer must be direct, hold exactly the tensor's bytes from its position to its limit, little-endian,
     * sub-byte types packed as ONNX stores them.
     */
    public static NativeTensor wrap(DataType dtype, long[] dims, ByteBuffer data) {
        Objects.requireNonNull(data, "data");
        if (!data.isDirect()) {
            throw new IllegalArgumentException("NativeTensor.wrap needs a direct ByteBuffer; use fromTensor to copy a "
                    + "heap buffer into native memory");
        }
        if (dtype == DataType.STRING) {
            throw new IllegalArgumentException("string tensors have no raw byte layout; use NativeTensor.ofStrings");
        }
        long need = checkedByteSize(dtype, dims);
        if (data.remaining() != need) {
            throw new IllegalArgumentException(dtype.onnxName() + Arrays.toString(dims) + " needs " + need
                    + " bytes, the buffer has " + data.remaining());
        }
        ByteBuffer view = data.slice().order(ByteOrder.LITTLE_ENDIAN);
        return overMemory(OrtRuntime.get(), dtype, dims, new Pointer(view), need, view);
    }

    /** A tensor whose memory ONNX Runtime allocates (contents undefined): a reusable output, for example. */
    public static NativeTensor allocate(DataType dtype, long[] dims) {
        OrtRuntime rt = OrtRuntime.get();
        checkedByteSize(dtype, dims);
        OrtValue v = new OrtValue();
        Statuses.check(rt.api(), rt.api().CreateTensorAsOrtValue(rt.allocator(), dims.clone(), dims.length,
                ElementTypes.toOrt(dtype), v), () -> "allocating a " + dtype.onnxName() + Arrays.toString(dims)
                + " tensor");
        return new NativeTensor(rt, v, dtype, dims.clone(), null);
    }

    /**
     * ONNX Runtime's view of an IR tensor. Direct or memory-mapped data is used in place; heap data is copied once
     * into native memory owned by the returned object; strings are copied into an ONNX Runtime string tensor.
     */
    public static NativeTensor fromTensor(Tensor tensor) {
        if (tensor.dtype() == DataType.STRING) {
            return StringTensors.create(OrtRuntime.get(), tensor.dims(), ((StringData) tensor.data()).strings());
        }
        ByteBuffer src = tensor.bytes();
        if (src.isDirect()) {
            return wrap(tensor.dtype(), tensor.dims(), src);
        }
        OrtRuntime rt = OrtRuntime.get();
        long n = src.remaining();
        BytePointer mem = new BytePointer(Math.max(1, n));
        try {
            if (n > 0) {
                mem.limit(n).asByteBuffer().put(src.duplicate());
            }
            return overMemory(rt, tensor.dtype(), tensor.dims(), mem, n, mem);
        } catch (RuntimeException e) {
            mem.close();
            throw e;
        }
    }

    /** A string tensor (ONNX strings are byte strings, usually UTF-8). */
    public static NativeTensor ofStrings(long[] dims, List<byte[]> strings) {
        return StringTensors.create(OrtRuntime.get(), dims, strings);
    }

    private static NativeTensor overMemory(OrtRuntime rt, DataType dtype, long[] dims, Pointer data, long bytes,
                                           Object backing) {
        OrtValue v = new OrtValue();
        Statuses.check(rt.api(), rt.api().CreateTensorWithDataAsOrtValue(rt.cpuMemoryInfo(), data, bytes,
                dims.clone(), dims.length, ElementTypes.toOrt(dtype), v), () -> "creating a " + dtype.onnxName()
                + Arrays.toString(dims) + " tensor over " + bytes + " bytes");
        return new NativeTensor(rt, v, dtype, dims.clone(), backing);
    }

    /** Takes ownership of a tensor value ONNX Runtime created (a run output); releases it if it is not a tensor. */
    static NativeTensor adopt(OrtRuntime rt, OrtValue v, String what) {
        OrtApi api = rt.api();
        try {
            int[] kind = new int[1];
            Statuses.check(api, api.GetValueType(v, kind), () -> "reading the type of " + what);
            if (ValueInfo.Kind.fromOrt(kind[0]) != ValueInfo.Kind.TENSOR) {
                throw new UnsupportedOperationException(what + " is a " + ValueInfo.Kind.fromOrt(kind[0])
                        + " value; ortune's runtime reads dense tensors only");
            }
            OrtTensorTypeAndShapeInfo info = new OrtTensorTypeAndShapeInfo();
            Statuses.check(api, api.GetTensorTypeAndShape(v, info), () -> "reading the shape of " + what);
            try {
                int[] type = new int[1];
                Statuses.check(api, api.GetTensorElementType(info, type), () -> "reading the type of " + what);
                long[] dims = readDims(api, info, what);
                return new NativeTensor(rt, v, ElementTypes.fromOrt(type[0]), dims, null);
            } finally {
                api.ReleaseTensorTypeAndShapeInfo(info);
            }
        } catch (RuntimeException e) {
            api.ReleaseValue(v);
            throw e;
        }
    }

    static long[] readDims(OrtApi api, OrtTensorTypeAndShapeInfo info, String what) {
        try (SizeTPointer count = new SizeTPointer(1)) {
            Statuses.check(api, api.GetDimensionsCount(info, count), () -> "reading the rank of " + what);
            long[] dims = new long[(int) count.get()];
            Statuses.check(api, api.GetDimensions(info, dims, dims.length), () -> "reading the shape of " + what);
            return dims;
        }
    }

    private static long checkedByteSize(DataType dtype, long[] dims) {
        long n = 1;
        for (long d : dims) {
            if (d < 0) {
                throw new IllegalArgumentException("tensor dimensions must be >= 0, got " + Arrays.toString(dims));
            }
            n = Math.multiplyExact(n, d);
        }
        ElementTypes.toOrt(dtype);
        return dtype.byteSize(n);
    }

    // ---- accessors ---------------------------------------------------------------------------------------------

    public DataType dtype() {
        return dtype;
    }

    public long[] dims() {
        return dims.clone();
    }

    public long elementCount() {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        return n;
    }

    /** Bytes of tensor data (packed for sub-byte types); not defined for strings. */
    public long byteSize() {
        requireNumeric();
        return dtype.byteSize(elementCount());
    }

    /**
     * A little-endian read-write view of the tensor's data, valid until {@link #close()}. Writing to it changes the
     * tensor in place (fill reused inputs this way).
     */
    public ByteBuffer buffer() {
        requireNumeric();
        if (backing instanceof ByteBuffer b) {
            return b.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        }
        long n = ortByteSize();
        if (n > Integer.MAX_VALUE) {
            throw new IllegalStateException("tensor " + this + " has " + n
                    + " bytes, over what one Java buffer can view");
        }
        if (n == 0) {
            return ByteBuffer.allocateDirect(0).order(ByteOrder.LITTLE_ENDIAN);
        }
        Pointer data = new Pointer();
        Statuses.check(rt.api(), rt.api().GetTensorMutableData(handle(), data), () -> "reading the data of " + this);
        return new BytePointer(data).capacity(n).limit(n).asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    /** The data size ONNX Runtime itself computes for the value. */
    long ortByteSize() {
        try (SizeTPointer n = new SizeTPointer(1)) {
            Statuses.check(rt.api(), rt.api().GetTensorSizeInBytes(handle(), n), () -> "reading the size of " + this);
            return n.get();
        }
    }

    /** The elements of a string tensor, copied out. */
    public List<byte[]> strings() {
        if (dtype != DataType.STRING) {
            throw new IllegalStateException("tensor " + this + " is not a string tensor");
        }
        return StringTensors.read(rt, handle(), elementCount(), toString());
    }

    /** Copies this tensor into an IR tensor on the heap. */
    public Tensor toTensor(String name) {
        return toTensor(name, OutputMemory.HEAP);
    }

    /** Copies this tensor into an IR tensor whose bytes live on the heap or in a direct buffer. */
    public Tensor toTensor(String name, OutputMemory memory) {
        if (dtype == DataType.STRING) {
            return new Tensor(name, dtype, dims, new StringData(strings()));
        }
        ByteBuffer src = buffer();
        if (memory == OutputMemory.DIRECT) {
            ByteBuffer copy = ByteBuffer.allocateDirect(src.remaining()).order(ByteOrder.LITTLE_ENDIAN);
            copy.put(src).flip();
            return new Tensor(name, dtype, dims, new BufferData(copy));
        }
        byte[] bytes = new byte[src.remaining()];
        src.get(bytes);
        return Tensor.ofBytes(name, dtype, dims, bytes);
    }

    /** The element type ONNX Runtime itself reports for the value (tests check the type mapping with it). */
    DataType ortElementType() {
        OrtApi api = rt.api();
        OrtTensorTypeAndShapeInfo info = new OrtTensorTypeAndShapeInfo();
        Statuses.check(api, api.GetTensorTypeAndShape(handle(), info), () -> "reading the type of " + this);
        try {
            int[] type = new int[1];
            Statuses.check(api, api.GetTensorElementType(info, type), () -> "reading the type of " + this);
            return ElementTypes.fromOrt(type[0]);
        } finally {
            api.ReleaseTensorTypeAndShapeInfo(info);
        }
    }

    /** The native value; fails once closed. */
    OrtValue handle() {
        if (value == null) {
            throw new IllegalStateException("native tensor " + dtype.onnxName() + Arrays.toString(dims)
                    + " is closed");
        }
        return value;
    }

    public boolean isClosed() {
        return value == null;
    }

    /** Releases the native value and any memory this object owns. Safe to call twice. */
    @Override
    public void close() {
        if (value != null) {
            rt.api().ReleaseValue(value);
            value = null;
        }
        if (backing instanceof Pointer p) {
            p.close();
        }
        backing = null;
    }

    private void requireNumeric() {
        if (dtype == DataType.STRING) {
            throw new IllegalStateException("string tensor " + this + " has no raw byte layout; use strings()");
        }
    }

    static NativeTensor stringTensor(OrtRuntime rt, OrtValue v, long[] dims) {
        return new NativeTensor(rt, v, DataType.STRING, dims.clone(), null);
    }

    @Override
    public String toString() {
        return dtype.onnxName() + Arrays.toString(dims) + (value == null ? " (closed)" : "");
    }
}
