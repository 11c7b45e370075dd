package io.ortune.runtime;

import io.ortune.graph.ir.DataType;

/**
 * Maps IR {@link DataType}s to ONNX Runtime's {@code ONNXTensorElementDataType} numbers and back.
 *
 * <p>The two enumerations agree up to FLOAT4E2M1 (23) and then diverge: ONNX has FLOAT8E8M0 = 24, UINT2 = 25,
 * INT2 = 26, while ONNX Runtime 1.24's C API has no FLOAT8E8M0 and numbers UINT2 = 24, INT2 = 25. Passing ONNX codes
 * straight through would silently turn a uint2 tensor into an int2 one.
 */
final class ElementTypes {

    private static final int ORT_UINT2 = 24;
    private static final int ORT_INT2 = 25;

    private ElementTypes() {
    }

    /** ONNX Runtime's element type number for {@code type}; a clear error for types ONNX Runtime has no tensors of. */
    static int toOrt(DataType type) {
        switch (type) {
            case UNDEFINED:
                throw new IllegalArgumentException("a tensor needs an element type, got undefined");
            case FLOAT8E8M0:
                throw new IllegalArgumentException("ONNX Runtime 1.24 has no float8e8m0 tensors");
            case UINT2:
                return ORT_UINT2;
            case INT2:
                return ORT_INT2;
            default:
                return type.onnxCode();
        }
    }

    /** The IR type for ONNX Runtime's element type number {@code ortType}. */
    static DataType fromOrt(int ortType) {
        if (ortType == ORT_UINT2) {
            return DataType.UINT2;
        }
        if (ortType == ORT_INT2) {
            return DataType.INT2;
        }
        if (ortType < 0 || ortType > DataType.FLOAT4E2M1.onnxCode()) {
            throw new IllegalArgumentException("ONNX Runtime reported element type " + ortType
                    + ", which ortune does not know");
        }
        return DataType.fromOnnx(ortType);
    }
}
