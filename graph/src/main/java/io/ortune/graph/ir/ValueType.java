package io.ortune.graph.ir;

/** The type of a value: a tensor, or one of ONNX's container types (sequence, optional, map, sparse tensor). */
public sealed interface ValueType {

    record TensorType(DataType elementType, Shape shape) implements ValueType {
        @Override
        public String toString() {
            return elementType.onnxName() + (shape == null ? "" : shape.toString());
        }
    }

    record SparseTensorType(DataType elementType, Shape shape) implements ValueType {
        @Override
        public String toString() {
            return "sparse(" + elementType.onnxName() + (shape == null ? "" : shape.toString()) + ")";
        }
    }

    record SequenceType(ValueType elementType) implements ValueType {
        @Override
        public String toString() {
            return "seq(" + elementType + ")";
        }
    }

    record OptionalType(ValueType elementType) implements ValueType {
        @Override
        public String toString() {
            return "optional(" + elementType + ")";
        }
    }

    record MapType(DataType keyType, ValueType valueType) implements ValueType {
        @Override
        public String toString() {
            return "map(" + keyType.onnxName() + "," + valueType + ")";
        }
    }

    static TensorType tensor(DataType t, Shape s) {
        return new TensorType(t, s);
    }

    static TensorType tensor(DataType t, Object... dims) {
        return new TensorType(t, Shape.of(dims));
    }
}
