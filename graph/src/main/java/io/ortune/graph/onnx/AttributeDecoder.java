package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Unmodeled;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto.AttributeType;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.SparseTensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TypeProto;

import com.google.protobuf.ByteString;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code AttributeProto} to {@link Attribute}. Graph attributes become child graphs whose nodes may read the
 * enclosing graph's values. Attributes of IR version 1 files, which have no {@code type}, are typed by the field
 * in use.
 */
final class AttributeDecoder {

    private final DecodeContext ctx;
    private final TensorDecoder tensors;
    private final GraphDecoder graphs;

    AttributeDecoder(DecodeContext ctx, TensorDecoder tensors, GraphDecoder graphs) {
        this.ctx = ctx;
        this.tensors = tensors;
        this.graphs = graphs;
    }

    Attribute decode(AttributeProto a, NodeProto owner, Graph graph, Scope scope) throws OnnxFormatException {
        String name = a.getName();
        if (!a.getRefAttrName().isEmpty()) {
            return new Attribute.RefAttr(name, a.getRefAttrName(), a.getType().getNumber());
        }
        AttributeType type = a.hasType() && a.getType() != AttributeType.UNDEFINED ? a.getType() : inferType(a);
        if (type == null) {
            throw ctx.fail("node " + GraphDecoder.describe(owner) + ": attribute '" + name
                    + "' has neither a type nor a value");
        }
        switch (type) {
            case FLOAT:
                return new Attribute.FloatAttr(name, a.getF());
            case INT:
                return new Attribute.IntAttr(name, a.getI());
            case STRING:
                return new Attribute.StringAttr(name, a.getS().toStringUtf8());
            case TENSOR:
                return new Attribute.TensorAttr(name, tensors.decode(a.getT()));
            case GRAPH:
                return new Attribute.GraphAttr(name, graphs.decode(a.getG(), graph, scope));
            case SPARSE_TENSOR:
                return new Attribute.SparseTensorAttr(name, new Unmodeled(a.getSparseTensor().toByteArray()));
            case TYPE_PROTO:
                return new Attribute.TypeAttr(name, TypeCodec.decode(a.getTp()));
            case FLOATS:
                return new Attribute.FloatsAttr(name, a.getFloatsList());
            case INTS:
                return new Attribute.IntsAttr(name, a.getIntsList());
            case STRINGS: {
                List<String> out = new ArrayList<>(a.getStringsCount());
                for (ByteString s : a.getStringsList()) {
                    out.add(s.toStringUtf8());
                }
                return new Attribute.StringsAttr(name, out);
            }
            case TENSORS: {
                List<Tensor> out = new ArrayList<>(a.getTensorsCount());
                for (TensorProto t : a.getTensorsList()) {
                    out.add(tensors.decode(t));
                }
                return new Attribute.TensorsAttr(name, out);
            }
            case GRAPHS: {
                List<Graph> out = new ArrayList<>(a.getGraphsCount());
                for (GraphProto g : a.getGraphsList()) {
                    out.add(graphs.decode(g, graph, scope));
                }
                return new Attribute.GraphsAttr(name, out);
            }
            case SPARSE_TENSORS: {
                List<Unmodeled> out = new ArrayList<>(a.getSparseTensorsCount());
                for (SparseTensorProto s : a.getSparseTensorsList()) {
                    out.add(new Unmodeled(s.toByteArray()));
                }
                return new Attribute.SparseTensorsAttr(name, out);
            }
            case TYPE_PROTOS: {
                List<ValueType> out = new ArrayList<>(a.getTypeProtosCount());
                for (TypeProto t : a.getTypeProtosList()) {
                    out.add(TypeCodec.decode(t));
                }
                return new Attribute.TypesAttr(name, out);
            }
            default:
                throw ctx.fail("node " + GraphDecoder.describe(owner) + ": attribute '" + name
                        + "' has unsupported type " + type);
        }
    }

    /** IR version 1 had no type field: the kind is the field that holds a value. */
    private static AttributeType inferType(AttributeProto a) {
        if (a.hasF()) {
            return AttributeType.FLOAT;
        } else if (a.hasI()) {
            return AttributeType.INT;
        } else if (a.hasS()) {
            return AttributeType.STRING;
        } else if (a.hasT()) {
            return AttributeType.TENSOR;
        } else if (a.hasG()) {
            return AttributeType.GRAPH;
        } else if (a.hasSparseTensor()) {
            return AttributeType.SPARSE_TENSOR;
        } else if (a.hasTp()) {
            return AttributeType.TYPE_PROTO;
        } else if (a.getFloatsCount() > 0) {
            return AttributeType.FLOATS;
        } else if (a.getIntsCount() > 0) {
            return AttributeType.INTS;
        } else if (a.getStringsCount() > 0) {
            return AttributeType.STRINGS;
        } else if (a.getTensorsCount() > 0) {
            return AttributeType.TENSORS;
        } else if (a.getGraphsCount() > 0) {
            return AttributeType.GRAPHS;
        } else if (a.getSparseTensorsCount() > 0) {
            return AttributeType.SPARSE_TENSORS;
        } else if (a.getTypeProtosCount() > 0) {
            return AttributeType.TYPE_PROTOS;
        }
        return null;
    }

    /**
     * What the IR does not model of an attribute (doc string, unknown fields), with its name as the key the
     * writer matches it back by; null when nothing is left.
     */
    static AttributeProto residual(AttributeProto a) {
        AttributeProto rest = a.toBuilder()
                .clearName().clearRefAttrName().clearType()
                .clearF().clearI().clearS().clearT().clearG().clearSparseTensor().clearTp()
                .clearFloats().clearInts().clearStrings().clearTensors().clearGraphs().clearSparseTensors()
                .clearTypeProtos()
                .build();
        if (rest.getSerializedSize() == 0) {
            return null;
        }
        return rest.toBuilder().setName(a.getName()).build();
    }
}
