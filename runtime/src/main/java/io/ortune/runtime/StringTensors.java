package io.ortune.runtime;

import io.ortune.graph.ir.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtValue;

/** Copies byte strings into and out of ONNX Runtime string tensors (bytes kept exactly, embedded NULs included). */
final class StringTensors {

    private StringTensors() {
    }

    static NativeTensor create(OrtRuntime rt, long[] dims, List<byte[]> strings) {
        long n = 1;
        for (long d : dims) {
            n = Math.multiplyExact(n, d);
        }
        if (n != strings.size()) {
            throw new IllegalArgumentException("a string tensor of shape " + Arrays.toString(dims) + " needs " + n
                    + " strings, got " + strings.size());
        }
        OrtApi api = rt.api();
        String what = "string tensor " + Arrays.toString(dims);
        OrtValue v = new OrtValue();
        Statuses.check(api, api.CreateTensorAsOrtValue(rt.allocator(), dims.clone(), dims.length,
                ElementTypes.toOrt(DataType.STRING), v), () -> "creating a " + what);
        try (PointerPointer<BytePointer> slot = new PointerPointer<>(1)) {
            for (int i = 0; i < strings.size(); i++) {
                byte[] s = strings.get(i);
                final int index = i;
                Statuses.check(api, api.GetResizedStringTensorElementBuffer(v, i, s.length, slot),
                        () -> "filling element " + index + " of a " + what);
                if (s.length > 0) {
                    slot.get(BytePointer.class, 0).capacity(s.length).put(s, 0, s.length);
                }
            }
        } catch (RuntimeException e) {
            api.ReleaseValue(v);
            throw e;
        }
        return NativeTensor.stringTensor(rt, v, dims);
    }

    static List<byte[]> read(OrtRuntime rt, OrtValue v, long count, String what) {
        OrtApi api = rt.api();
        try (SizeTPointer total = new SizeTPointer(1)) {
            Statuses.check(api, api.GetStringTensorDataLength(v, total), () -> "reading the length of " + what);
            long bytes = total.get();
            try (BytePointer data = new BytePointer(Math.max(1, bytes));
                 SizeTPointer offsets = new SizeTPointer(Math.max(1, count))) {
                Statuses.check(api, api.GetStringTensorContent(v, data, bytes, offsets, count),
                        () -> "reading the strings of " + what);
                List<byte[]> out = new ArrayList<>((int) count);
                for (int i = 0; i < count; i++) {
                    long start = offsets.get(i);
                    long end = i + 1 < count ? offsets.get(i + 1) : bytes;
                    byte[] s = new byte[Math.toIntExact(end - start)];
                    data.position(start).get(s);
                    out.add(s);
                }
                return out;
            }
        }
    }
}
