package io.ortune.graph.onnx;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;
import io.ortune.graph.onnx.proto.OnnxProtos.AttributeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.GraphProto;
import io.ortune.graph.onnx.proto.OnnxProtos.NodeProto;
import io.ortune.graph.onnx.proto.OnnxProtos.SparseTensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.StringStringEntryProto;
import io.ortune.graph.onnx.proto.OnnxProtos.TensorProto;
import io.ortune.graph.onnx.proto.OnnxProtos.ValueInfoProto;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code GraphProto} to {@link Graph}, subgraphs included. Names become links: every node input is resolved to
 * the {@link Value} it names (in this graph, then in enclosing graphs); a name that resolves to nothing is an
 * error naming the node. Nodes are created before inputs are linked, so graphs whose nodes are out of order
 * still load.
 */
final class GraphDecoder {

    private final DecodeContext ctx;
    private final TensorDecoder tensors;
    private final AttributeDecoder attributes;

    GraphDecoder(DecodeContext ctx) {
        this.ctx = ctx;
        this.tensors = new TensorDecoder(ctx);
        this.attributes = new AttributeDecoder(ctx, tensors, this);
    }

    Graph decode(GraphProto gp, Graph parent, Scope outer) throws OnnxFormatException {
        Graph g = new Graph(gp.getName());
        g.setParent(parent);
        g.setDocString(gp.getDocString());
        putAll(g.metadataProps(), gp.getMetadataPropsList());
        Scope scope = new Scope(outer);
        String where = parent == null ? "main graph" : "subgraph '" + gp.getName() + "'";

        declareInputs(gp, g, scope, where);
        List<Node> nodes = new ArrayList<>(gp.getNodeCount());
        for (NodeProto np : gp.getNodeList()) {
            Node n = g.addNode(np.getName(), np.getDomain(), np.getOpType(), List.of(), np.getOutputList(), null);
            n.setOverload(np.getOverload());
            n.setDocString(np.getDocString());
            putAll(n.metadataProps(), np.getMetadataPropsList());
            for (Value out : n.outputs()) {
                scope.define(out);
            }
            nodes.add(n);
        }
        // Linked only once every node exists: inputs may name later nodes' outputs; subgraphs see everything.
        for (int i = 0; i < nodes.size(); i++) {
            linkNode(gp.getNode(i), nodes.get(i), g, scope, where);
        }
        declareOutputs(gp, g, scope, where);
        g.setUnmodeled(Residuals.of(gp.toBuilder()
                .clearNode().clearName().clearInitializer().clearDocString().clearInput().clearOutput()
                .clearValueInfo().clearMetadataProps().build()));
        return g;
    }

    /** Initializers, then inputs (an input naming an initializer is that same value, as IR &lt; 4 wrote). */
    private void declareInputs(GraphProto gp, Graph g, Scope scope, String where) throws OnnxFormatException {
        for (TensorProto tp : gp.getInitializerList()) {
            Tensor t = tensors.decode(tp);
            if (t.name().isEmpty()) {
                throw ctx.fail(where + " has an initializer without a name");
            }
            if (g.initializer(t.name()) != null) {
                throw ctx.fail(where + " has two initializers named '" + t.name() + "'");
            }
            scope.define(g.addInitializer(t));
        }
        for (ValueInfoProto vi : gp.getInputList()) {
            Value v = g.initializer(vi.getName());
            if (v != null) {
                g.addInput(v);
            } else {
                v = g.addInput(vi.getName(), null);
                scope.define(v);
            }
            applyValueInfo(vi, v);
        }
        for (SparseTensorProto sp : gp.getSparseInitializerList()) {
            // Kept whole in the graph's unmodeled bytes; nodes may still read it by name.
            String name = sp.getValues().getName();
            if (!name.isEmpty() && scope.local(name) == null) {
                scope.define(new Value(name, null));
            }
        }
    }

    /** Value infos (types of inner values), then outputs, which may also be values of enclosing graphs. */
    private void declareOutputs(GraphProto gp, Graph g, Scope scope, String where) throws OnnxFormatException {
        for (ValueInfoProto vi : gp.getValueInfoList()) {
            Value v = scope.local(vi.getName());
            if (v == null) {
                // An annotation for a name this graph does not define: kept, attached to nothing.
                v = new Value(vi.getName(), null);
            }
            applyValueInfo(vi, v);
            g.valueInfos().add(v);
        }
        for (ValueInfoProto vi : gp.getOutputList()) {
            Value v = scope.lookup(vi.getName());
            if (v == null) {
                throw ctx.fail(where + ": graph output '" + vi.getName()
                        + "' is not an input, initializer or node output of the graph or an enclosing graph");
            }
            if (scope.isLocal(v)) {
                applyValueInfo(vi, v);
            }
            g.addOutput(v);
        }
    }

    private void linkNode(NodeProto np, Node n, Graph g, Scope scope, String where) throws OnnxFormatException {
        for (int k = 0; k < np.getInputCount(); k++) {
            String in = np.getInput(k);
            if (in.isEmpty()) {
                n.addInput(null);
                continue;
            }
            Value v = scope.lookup(in);
            if (v == null) {
                throw ctx.fail(where + ": node " + describe(np) + " input " + k + " '" + in
                        + "' is not a graph input, initializer or node output in scope");
            }
            n.addInput(v);
        }
        List<AttributeProto> residual = new ArrayList<>();
        for (AttributeProto ap : np.getAttributeList()) {
            n.setAttribute(attributes.decode(ap, np, g, scope));
            AttributeProto rest = AttributeDecoder.residual(ap);
            if (rest != null) {
                residual.add(rest);
            }
        }
        n.setUnmodeled(Residuals.of(np.toBuilder()
                .clearInput().clearOutput().clearName().clearOpType().clearDomain().clearOverload()
                .clearAttribute().addAllAttribute(residual).clearDocString().clearMetadataProps().build()));
    }

    private void applyValueInfo(ValueInfoProto vi, Value v) {
        ValueInfoProto.Builder rest = vi.toBuilder().clearName().clearDocString();
        if (vi.hasType()) {
            ValueType type = TypeCodec.decode(vi.getType());
            v.setType(type);
            if (TypeCodec.isExact(vi.getType())) {
                rest.clearType();
            }
        }
        if (vi.hasDocString()) {
            v.setDocString(vi.getDocString());
        }
        if (!v.unmodeled().isEmpty() && rest.build().getSerializedSize() == 0) {
            return;
        }
        v.setUnmodeled(Residuals.of(rest.build()));
    }

    static String describe(NodeProto np) {
        String op = np.getDomain().isEmpty() ? np.getOpType() : np.getDomain() + "::" + np.getOpType();
        return np.getName().isEmpty() ? op + " (unnamed, outputs " + np.getOutputList() + ")"
                : "'" + np.getName() + "' (" + op + ")";
    }

    static void putAll(Map<String, String> target, List<StringStringEntryProto> entries) {
        for (StringStringEntryProto e : entries) {
            target.put(e.getKey(), e.getValue());
        }
    }
}
