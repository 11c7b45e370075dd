package io.ortune.graph.onnx;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorShapeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TypeProto;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code TypeProto} to {@link ValueType} and back. Decoding never fails: what the IR cannot express (opaque
 * types, denotations, element type codes of a newer ONNX, negative dimension values) decodes to the closest IR
 * type or null, and {@link #isExact} tells the caller to keep the original proto so that it survives writing.
 */
final class TypeCodec {

    private TypeCodec() {
    }

    /** The IR type, or null when the proto holds no type the IR can express. */
    static ValueType decode(TypeProto t) {
        switch (t.getValueCase()) {
            case TENSOR_TYPE: {
                DataType dt = dataType(t.getTensorType().getElemType());
                return dt == null ? null : ValueType.tensor(dt, t.getTensorType().hasShape()
                        ? shape(t.getTensorType().getShape()) : Shape.UNKNOWN_RANK);
            }
            case SPARSE_TENSOR_TYPE: {
                DataType dt = dataType(t.getSparseTensorType().getElemType());
                return dt == null ? null : new ValueType.SparseTensorType(dt, t.getSparseTensorType().hasShape()
                        ? shape(t.getSparseTensorType().getShape()) : Shape.UNKNOWN_RANK);
            }
            case SEQUENCE_TYPE:
                return new ValueType.SequenceType(decode(t.getSequenceType().getElemType()));
            case OPTIONAL_TYPE:
                return new ValueType.OptionalType(decode(t.getOptionalType().getElemType()));
            case MAP_TYPE: {
                DataType key = dataType(t.getMapType().getKeyType());
                return key == null ? null : new ValueType.MapType(key, decode(t.getMapType().getValueType()));
            }
            default:
                return null;
        }
    }

    /** The proto for an IR type; null gives an empty TypeProto. */
    static TypeProto encode(ValueType type) {
        TypeProto.Builder b = TypeProto.newBuilder();
        if (type instanceof ValueType.TensorType tt) {
            TypeProto.Tensor.Builder tb = TypeProto.Tensor.newBuilder().setElemType(tt.elementType().onnxCode());
            if (tt.shape() != null && tt.shape().hasRank()) {
                tb.setShape(shape(tt.shape()));
            }
            b.setTensorType(tb);
        } else if (type instanceof ValueType.SparseTensorType st) {
            TypeProto.SparseTensor.Builder sb = TypeProto.SparseTensor.newBuilder()
                    .setElemType(st.elementType().onnxCode());
            if (st.shape() != null && st.shape().hasRank()) {
                sb.setShape(shape(st.shape()));
            }
            b.setSparseTensorType(sb);
        } else if (type instanceof ValueType.SequenceType sq) {
            TypeProto.Sequence.Builder sb = TypeProto.Sequence.newBuilder();
            if (sq.elementType() != null) {
                sb.setElemType(encode(sq.elementType()));
            }
            b.setSequenceType(sb);
        } else if (type instanceof ValueType.OptionalType op) {
            TypeProto.Optional.Builder ob = TypeProto.Optional.newBuilder();
            if (op.elementType() != null) {
                ob.setElemType(encode(op.elementType()));
            }
            b.setOptionalType(ob);
        } else if (type instanceof ValueType.MapType mt) {
            TypeProto.Map.Builder mb = TypeProto.Map.newBuilder().setKeyType(mt.keyType().onnxCode());
            if (mt.valueType() != null) {
                mb.setValueType(encode(mt.valueType()));
            }
            b.setMapType(mb);
        }
        return b.build();
    }

    /** True when decoding and encoding again gives back exactly {@code t} (nothing the IR cannot hold). */
    static boolean isExact(TypeProto t) {
        return encode(decode(t)).equals(t);
    }

    static Shape shape(TensorShapeProto s) {
        List<Dim> dims = new ArrayList<>(s.getDimCount());
        for (TensorShapeProto.Dimension d : s.getDimList()) {
            if (d.hasDimValue() && d.getDimValue() >= 0) {
                dims.add(Dim.of(d.getDimValue()));
            } else if (d.hasDimParam()) {
                dims.add(Dim.of(d.getDimParam()));
            } else {
                dims.add(Dim.UNKNOWN);
            }
        }
        return new Shape(dims);
    }

    static TensorShapeProto shape(Shape s) {
        TensorShapeProto.Builder b = TensorShapeProto.newBuilder();
        for (Dim d : s.dims()) {
            TensorShapeProto.Dimension.Builder db = TensorShapeProto.Dimension.newBuilder();
            if (d instanceof Dim.Known k) {
                db.setDimValue(k.size());
            } else if (d instanceof Dim.Symbolic sym) {
                db.setDimParam(sym.symbol());
            }
            b.addDim(db);
        }
        return b.build();
    }

    private static DataType dataType(int code) {
        try {
            return DataType.fromOnnx(code);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
