package io.ortune.runtime;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import java.util.Objects;

/**
 * A session input or output as ONNX Runtime sees it: name, kind, element type and shape. Shapes use the IR's
 * {@link Dim}s: a known size, a symbolic name ({@code batch}), or unknown.
 *
 * @param name        the graph input or output name
 * @param kind        tensor, or one of ONNX's container kinds
 * @param elementType the tensor element type; {@link DataType#UNDEFINED} for non-tensors
 * @param shape       the tensor shape; {@link Shape#UNKNOWN_RANK} for non-tensors
 */
public record ValueInfo(String name, Kind kind, DataType elementType, Shape shape) {

    /** ONNX value kinds ({@code ONNXType}). */
    public enum Kind {
        UNKNOWN, TENSOR, SEQUENCE, MAP, OPAQUE, SPARSE_TENSOR, OPTIONAL;

        static Kind fromOrt(int onnxType) {
            Kind[] all = values();
            return onnxType >= 0 && onnxType < all.length ? all[onnxType] : UNKNOWN;
        }
    }

    public ValueInfo {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(elementType, "elementType");
        Objects.requireNonNull(shape, "shape");
    }

    public boolean isTensor() {
        return kind == Kind.TENSOR;
    }

    /** Dimensions as ONNX Runtime reports them: the size, or -1 for a symbolic or unknown dimension. */
    public long[] dims() {
        if (!shape.hasRank()) {
            return new long[0];
        }
        long[] out = new long[shape.rank()];
        for (int i = 0; i < out.length; i++) {
            out[i] = shape.dim(i) instanceof Dim.Known k ? k.size() : -1;
        }
        return out;
    }

    @Override
    public String toString() {
        return name + ": " + (kind == Kind.TENSOR ? elementType.onnxName() + shape
                : kind.name().toLowerCase(java.util.Locale.ROOT));
    }
}
