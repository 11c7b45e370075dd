package io.ortune.models.weights;

import io.ortune.graph.ir.DataType;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/** The element types a safetensors header may name ({@code "F32"}, {@code "BF16"}, ...) and their IR types. */
public enum SafetensorsDType {
    F64(DataType.DOUBLE),
    F32(DataType.FLOAT),
    F16(DataType.FLOAT16),
    BF16(DataType.BFLOAT16),
    F8_E4M3(DataType.FLOAT8E4M3FN),
    F8_E5M2(DataType.FLOAT8E5M2),
    I64(DataType.INT64),
    I32(DataType.INT32),
    I16(DataType.INT16),
    I8(DataType.INT8),
    U64(DataType.UINT64),
    U32(DataType.UINT32),
    U16(DataType.UINT16),
    U8(DataType.UINT8),
    BOOL(DataType.BOOL);

    private final DataType irType;

    SafetensorsDType(DataType irType) {
        this.irType = irType;
    }

    /** The IR element type. */
    public DataType irType() {
        return irType;
    }

    /** Bytes per element. */
    public int byteWidth() {
        return irType.bits() / 8;
    }

    /** The header spelling for {@code name}, or empty when safetensors has no such type. */
    public static Optional<SafetensorsDType> fromHeader(String name) {
        for (SafetensorsDType t : values()) {
            if (t.name().equals(name)) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }

    /** The safetensors type for an IR type; a clear error for types safetensors cannot hold. */
    public static SafetensorsDType fromIr(DataType type) {
        for (SafetensorsDType t : values()) {
            if (t.irType == type) {
                return t;
            }
        }
        throw new IllegalArgumentException("safetensors cannot store " + type.onnxName() + " tensors (supported: "
                + supportedIrNames() + ")");
    }

    /** Comma-separated header spellings, for error messages. */
    public static String supportedNames() {
        return Arrays.stream(values()).map(Enum::name).collect(Collectors.joining(", "));
    }

    private static String supportedIrNames() {
        return Arrays.stream(values()).map(t -> t.irType.name().toLowerCase(Locale.ROOT))
                .collect(Collectors.joining(", "));
    }
}
