package io.ortune.runtime;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.PointerPointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.onnxruntime.OrtApi;
import org.bytedeco.onnxruntime.OrtSession;
import org.bytedeco.onnxruntime.OrtStatus;
import org.bytedeco.onnxruntime.OrtTensorTypeAndShapeInfo;
import org.bytedeco.onnxruntime.OrtTypeInfo;

/** Reads the names and types of a session's inputs and outputs. */
final class SessionIo {

    /** One of ONNX Runtime's "count" getters. */
    interface CountGetter {
        OrtStatus get(SizeTPointer out);
    }

    /** One of ONNX Runtime's "name i, allocated with the default allocator" getters ({@code char**} out). */
    interface NameGetter {
        OrtStatus get(long index, PointerPointer<BytePointer> out);
    }

    /** One of ONNX Runtime's "type info of i" getters. */
    interface TypeGetter {
        OrtStatus get(long index, OrtTypeInfo out);
    }

    private SessionIo() {
    }

    static List<ValueInfo> inputs(OrtRuntime rt, OrtSession s, String what) {
        OrtApi api = rt.api();
        return describe(rt, names(rt, out -> api.SessionGetInputCount(s, out),
                (i, out) -> api.SessionGetInputName(s, i, rt.allocator(), out), "inputs of " + what),
                (i, out) -> api.SessionGetInputTypeInfo(s, i, out), "input", what);
    }

    static List<ValueInfo> outputs(OrtRuntime rt, OrtSession s, String what) {
        OrtApi api = rt.api();
        return describe(rt, names(rt, out -> api.SessionGetOutputCount(s, out),
                (i, out) -> api.SessionGetOutputName(s, i, rt.allocator(), out), "outputs of " + what),
                (i, out) -> api.SessionGetOutputTypeInfo(s, i, out), "output", what);
    }

    /** The initializers a run may override (graph inputs that have an initializer default). */
    static List<ValueInfo> overridableInitializers(OrtRuntime rt, OrtSession s, String what) {
        OrtApi api = rt.api();
        return describe(rt, names(rt, out -> api.SessionGetOverridableInitializerCount(s, out),
                (i, out) -> api.SessionGetOverridableInitializerName(s, i, rt.allocator(), out),
                "overridable initializers of " + what),
                (i, out) -> api.SessionGetOverridableInitializerTypeInfo(s, i, out), "overridable initializer", what);
    }

    /** All names a pair of count/name getters report, in order. */
    static List<String> names(OrtRuntime rt, CountGetter count, NameGetter name, String what) {
        OrtApi api = rt.api();
        try (SizeTPointer n = new SizeTPointer(1); PointerPointer<BytePointer> slot = new PointerPointer<>(1)) {
            Statuses.check(api, count.get(n), () -> "counting the " + what);
            List<String> out = new ArrayList<>((int) n.get());
            for (long i = 0; i < n.get(); i++) {
                final long index = i;
                Statuses.check(api, name.get(i, slot), () -> "reading name " + index + " of the " + what);
                out.add(rt.takeAllocatedString(slot.get(BytePointer.class, 0)));
            }
            return out;
        }
    }

    private static List<ValueInfo> describe(OrtRuntime rt, List<String> names, TypeGetter types, String role,
                                            String what) {
        OrtApi api = rt.api();
        List<ValueInfo> out = new ArrayList<>(names.size());
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            OrtTypeInfo ti = new OrtTypeInfo();
            Statuses.check(api, types.get(i, ti), () -> "reading the type of " + role + " '" + name + "' of " + what);
            try {
                out.add(describe(api, ti, name, role + " '" + name + "' of " + what));
            } finally {
                api.ReleaseTypeInfo(ti);
            }
        }
        return List.copyOf(out);
    }

    private static ValueInfo describe(OrtApi api, OrtTypeInfo ti, String name, String what) {
        int[] onnxType = new int[1];
        Statuses.check(api, api.GetOnnxTypeFromTypeInfo(ti, onnxType), () -> "reading the kind of " + what);
        ValueInfo.Kind kind = ValueInfo.Kind.fromOrt(onnxType[0]);
        if (kind != ValueInfo.Kind.TENSOR && kind != ValueInfo.Kind.SPARSE_TENSOR) {
            return new ValueInfo(name, kind, DataType.UNDEFINED, Shape.UNKNOWN_RANK);
        }
        OrtTensorTypeAndShapeInfo info = new OrtTensorTypeAndShapeInfo(); // owned by ti: not released
        Statuses.check(api, api.CastTypeInfoToTensorInfo(ti, info), () -> "reading the tensor type of " + what);
        int[] elem = new int[1];
        Statuses.check(api, api.GetTensorElementType(info, elem), () -> "reading the element type of " + what);
        long[] dims = NativeTensor.readDims(api, info, what);
        List<Dim> shape = new ArrayList<>(dims.length);
        try (PointerPointer<BytePointer> symbols = new PointerPointer<>(Math.max(1, dims.length))) {
            Statuses.check(api, api.GetSymbolicDimensions(info, symbols, dims.length),
                    () -> "reading the dimension names of " + what);
            for (int d = 0; d < dims.length; d++) {
                BytePointer sym = symbols.get(BytePointer.class, d);
                String symbol = sym == null || sym.isNull() ? ""
                        : sym.getString(java.nio.charset.StandardCharsets.UTF_8);
                if (dims[d] >= 0) {
                    shape.add(Dim.of(dims[d]));
                } else if (!symbol.isEmpty()) {
                    shape.add(Dim.of(symbol));
                } else {
                    shape.add(Dim.UNKNOWN);
                }
            }
        }
        return new ValueInfo(name, kind, ElementTypes.fromOrt(elem[0]), new Shape(shape));
    }
}
