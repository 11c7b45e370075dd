package io.ortune.runtime;

import io.ortune.graph.ir.DataType;

/**
 * Maps IR {@link DataType}s to the element type numbers ONNX Runtime takes and reports.
 *
 * <p>ONNX and ONNX Runtime agree up to FLOAT4E2M1 (23) and then diverge: ONNX has FLOAT8E8M0 = 24, UINT2 = 25,
 * INT2 = 26, while ONNX Runtime 1.24's C enum has no FLOAT8E8M0 and says UINT2 = 24, INT2 = 25. Worse, the library
 * is not consistent with itself (measured on 1.24.1): the tensor-creating calls read the number the ONNX way (25
 * makes a uint2 tensor, 24 is "not supported"), while {@code GetTensorElementType} and type infos report the C enum
 * (that same uint2 tensor comes back as 24). Hence two directions here.
 */
final class ElementTypes {

    private static final int ORT_REPORTED_UINT2 = 24;
    private static final int ORT_REPORTED_INT2 = 25;

    private ElementTypes() {
    }

    /** The number to pass to ONNX Runtime's tensor-creating calls; a clear error for types it has no tensors of. */
    static int toOrt(DataType type) {
        switch (type) {
            case UNDEFINED:
                throw new IllegalArgumentException("a tensor needs an element type, got undefined");
            case FLOAT8E8M0:
                throw new IllegalArgumentException("ONNX Runtime 1.24 has no float8e8m0 tensors");
            default:
                return type.onnxCode();
        }
    }

    /** The IR type for a number ONNX Runtime reported ({@code GetTensorElementType}, type infos). */
    static DataType fromOrt(int reported) {
        if (reported == ORT_REPORTED_UINT2) {
            return DataType.UINT2;
        }
        if (reported == ORT_REPORTED_INT2) {
            return DataType.INT2;
        }
        if (reported < 0 || reported > DataType.FLOAT4E2M1.onnxCode()) {
            throw new IllegalArgumentException("ONNX Runtime reported element type " + reported
                    + ", which ortune does not know");
        }
        return DataType.fromOnnx(reported);
    }
}
