package io.ortune.graph.onnx;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * {@link Graph} to {@code GraphProto}, subgraphs included. Each message starts from the unmodeled bytes the
 * reader kept, then the modeled fields are set from the IR; links become names again.
 */
final class GraphEncoder {

    private final TensorEncoder tensors;
    private final AttributeEncoder attributes;

    GraphEncoder(TensorEncoder tensors) {
        this.tensors = tensors;
        this.attributes = new AttributeEncoder(tensors, this);
    }

    GraphProto encode(Graph g) throws IOException {
        GraphProto.Builder b = Residuals.parse(g.unmodeled(), GraphProto.parser(), GraphProto.getDefaultInstance(),
                "graph '" + g.name() + "'").toBuilder();
        if (!g.name().isEmpty()) {
            b.setName(g.name());
        }
        if (!g.docString().isEmpty()) {
            b.setDocString(g.docString());
        }
        for (Value init : g.initializers().values()) {
            b.addInitializer(tensors.encodeInitializer(init.constant(), init.name()));
        }
        for (Value in : g.inputs()) {
            b.addInput(valueInfo(in));
        }
        for (Node n : g.nodes()) {
            b.addNode(node(n));
        }
        for (Value out : g.outputs()) {
            b.addOutput(valueInfo(out));
        }
        for (Value v : g.valueInfos()) {
            b.addValueInfo(valueInfo(v));
        }
        addProps(g.metadataProps(), b::addMetadataProps);
        return b.build();
    }

    private NodeProto node(Node n) throws IOException {
        NodeProto rest = Residuals.parse(n.unmodeled(), NodeProto.parser(), NodeProto.getDefaultInstance(),
                "node " + n);
        Map<String, AttributeProto> residualAttrs = new HashMap<>();
        for (AttributeProto a : rest.getAttributeList()) {
            residualAttrs.put(a.getName(), a);
        }
        NodeProto.Builder b = rest.toBuilder().clearAttribute();
        for (Value in : n.inputs()) {
            b.addInput(in == null ? "" : in.name());
        }
        for (Value out : n.outputs()) {
            b.addOutput(out.name());
        }
        if (!n.name().isEmpty()) {
            b.setName(n.name());
        }
        b.setOpType(n.opType());
        if (!n.domain().isEmpty()) {
            b.setDomain(n.domain());
        }
        if (!n.overload().isEmpty()) {
            b.setOverload(n.overload());
        }
        for (Attribute a : n.attributes().values()) {
            AttributeProto encoded = attributes.encode(a, n);
            AttributeProto extra = residualAttrs.get(a.name());
            b.addAttribute(extra == null ? encoded : encoded.toBuilder().mergeFrom(extra).build());
        }
        if (!n.docString().isEmpty()) {
            b.setDocString(n.docString());
        }
        addProps(n.metadataProps(), b::addMetadataProps);
        return b.build();
    }

    /** A value's name, type, doc string and kept extras; a kept exotic type wins while the IR type matches it. */
    static ValueInfoProto valueInfo(Value v) {
        ValueInfoProto rest = Residuals.parse(v.unmodeled(), ValueInfoProto.parser(),
                ValueInfoProto.getDefaultInstance(), "value '" + v.name() + "'");
        ValueInfoProto.Builder b = rest.toBuilder().setName(v.name());
        if (!(rest.hasType() && Objects.equals(TypeCodec.decode(rest.getType()), v.type()))) {
            b.clearType();
            if (v.type() != null) {
                b.setType(TypeCodec.encode(v.type()));
            }
        }
        if (!v.docString().isEmpty()) {
            b.setDocString(v.docString());
        }
        return b.build();
    }

    static void addProps(Map<String, String> props, Consumer<StringStringEntryProto> sink) {
        for (Map.Entry<String, String> e : props.entrySet()) {
            sink.accept(StringStringEntryProto.newBuilder().setKey(e.getKey()).setValue(e.getValue()).build());
        }
    }
}
