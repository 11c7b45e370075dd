package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto.AttributeType;
import io.ortune.graph.onnx.proto.OnnxProtos.SparseTensorProto;

import com.google.protobuf.ByteString;

import java.io.IOException;

/** {@link Attribute} to {@code AttributeProto}; tensors in attributes stay inline. */
final class AttributeEncoder {

    private final TensorEncoder tensors;
    private final GraphEncoder graphs;

    AttributeEncoder(TensorEncoder tensors, GraphEncoder graphs) {
        this.tensors = tensors;
        this.graphs = graphs;
    }

    AttributeProto encode(Attribute a, Node owner) throws IOException {
        AttributeProto.Builder b = AttributeProto.newBuilder().setName(a.name());
        if (a instanceof Attribute.FloatAttr f) {
            b.setType(AttributeType.FLOAT).setF(f.value());
        } else if (a instanceof Attribute.IntAttr i) {
            b.setType(AttributeType.INT).setI(i.value());
        } else if (a instanceof Attribute.StringAttr s) {
            b.setType(AttributeType.STRING).setS(ByteString.copyFromUtf8(s.value()));
        } else if (a instanceof Attribute.TensorAttr t) {
            b.setType(AttributeType.TENSOR).setT(tensors.encodeInline(t.value(), t.value().name()));
        } else if (a instanceof Attribute.GraphAttr g) {
            b.setType(AttributeType.GRAPH).setG(graphs.encode(g.value()));
        } else if (a instanceof Attribute.TypeAttr t) {
            b.setType(AttributeType.TYPE_PROTO).setTp(TypeCodec.encode(t.value()));
        } else if (a instanceof Attribute.SparseTensorAttr s) {
            b.setType(AttributeType.SPARSE_TENSOR).setSparseTensor(sparse(s.proto(), a, owner));
        } else if (a instanceof Attribute.FloatsAttr f) {
            b.setType(AttributeType.FLOATS).addAllFloats(f.values());
        } else if (a instanceof Attribute.IntsAttr i) {
            b.setType(AttributeType.INTS).addAllInts(i.values());
        } else if (a instanceof Attribute.StringsAttr s) {
            b.setType(AttributeType.STRINGS);
            for (String v : s.values()) {
                b.addStrings(ByteString.copyFromUtf8(v));
            }
        } else if (a instanceof Attribute.TensorsAttr t) {
            b.setType(AttributeType.TENSORS);
            for (Tensor v : t.values()) {
                b.addTensors(tensors.encodeInline(v, v.name()));
            }
        } else if (a instanceof Attribute.GraphsAttr g) {
            b.setType(AttributeType.GRAPHS);
            for (Graph v : g.values()) {
                b.addGraphs(graphs.encode(v));
            }
        } else if (a instanceof Attribute.TypesAttr t) {
            b.setType(AttributeType.TYPE_PROTOS);
            for (ValueType v : t.values()) {
                b.addTypeProtos(TypeCodec.encode(v));
            }
        } else if (a instanceof Attribute.SparseTensorsAttr s) {
            b.setType(AttributeType.SPARSE_TENSORS);
            for (Unmodeled u : s.protos()) {
                b.addSparseTensors(sparse(u, a, owner));
            }
        } else if (a instanceof Attribute.RefAttr r) {
            b.setRefAttrName(r.refName());
            AttributeType kind = AttributeType.forNumber(r.kind());
            if (kind != null) {
                b.setType(kind);
            }
        } else {
            throw new IllegalStateException("no encoding for attribute kind " + a.getClass().getSimpleName());
        }
        return b.build();
    }

    private static SparseTensorProto sparse(Unmodeled u, Attribute a, Node owner) {
        return Residuals.parse(u, SparseTensorProto.parser(), SparseTensorProto.getDefaultInstance(),
                "sparse tensor attribute '" + a.name() + "' of node " + owner);
    }
}
