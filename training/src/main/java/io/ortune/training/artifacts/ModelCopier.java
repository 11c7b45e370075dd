package io.ortune.training.artifacts;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Deep-copies a model's graph structure (graphs, nodes, values, subgraphs) so the training and eval models can be
 * rewritten independently of the caller's model. Tensors are immutable and shared, not copied.
 */
final class ModelCopier {

    /** A copied model and the map from the original's top-level values to their copies. */
    record Copy(Model model, Map<Value, Value> values) {
        Value map(Value original) {
            Value v = values.get(original);
            if (v == null) {
                throw new IllegalArgumentException("value '" + original.name() + "' is not in the copied model");
            }
            return v;
        }
    }

    private ModelCopier() {
    }

    static Copy copy(Model src) {
        Map<Value, Value> values = new IdentityHashMap<>();
        Graph g = copyGraph(src.graph(), null, values);
        Model m = new Model(g);
        m.setIrVersion(src.irVersion());
        m.opsetImports().putAll(src.opsetImports());
        m.setProducerName(src.producerName());
        m.setProducerVersion(src.producerVersion());
        m.setDomain(src.domain());
        m.setModelVersion(src.modelVersion());
        m.setDocString(src.docString());
        m.metadataProps().putAll(src.metadataProps());
        m.functions().addAll(src.functions());
        m.setUnmodeled(src.unmodeled());
        return new Copy(m, values);
    }

    /** Copies {@code src}; {@code values} holds the enclosing scopes' mapping and receives this graph's. */
    private static Graph copyGraph(Graph src, Graph parent, Map<Value, Value> values) {
        Graph g = new Graph(src.name());
        g.setParent(parent);
        g.setDocString(src.docString());
        g.metadataProps().putAll(src.metadataProps());
        g.setUnmodeled(src.unmodeled());
        for (Value init : src.initializers().values()) {
            values.put(init, copyMeta(init, g.addInitializer(init.constant())));
        }
        for (Value in : src.inputs()) {
            Value existing = src.initializer(in.name()) == in ? values.get(in) : null;
            if (existing != null) {
                g.addInput(existing);
            } else {
                values.put(in, copyMeta(in, g.addInput(in.name(), in.type())));
            }
        }
        // Pass 1: every node and its outputs, so inputs may refer to nodes later in the list.
        List<Node> copies = new ArrayList<>(src.nodes().size());
        for (Node n : src.nodes()) {
            List<String> outs = new ArrayList<>();
            for (Value o : n.outputs()) {
                outs.add(o.name());
            }
            Node c = g.addNode(n.name(), n.domain(), n.opType(), List.of(), outs, List.of());
            c.setOverload(n.overload());
            c.setDocString(n.docString());
            c.metadataProps().putAll(n.metadataProps());
            c.setUnmodeled(n.unmodeled());
            for (int i = 0; i < n.outputs().size(); i++) {
                values.put(n.output(i), copyMeta(n.output(i), c.output(i)));
            }
            copies.add(c);
        }
        // Pass 2: inputs and attributes (subgraphs may read any value of this graph).
        for (int k = 0; k < copies.size(); k++) {
            Node n = src.nodes().get(k);
            Node c = copies.get(k);
            for (Value in : n.inputs()) {
                c.addInput(in == null ? null : lookup(values, in, n));
            }
            for (Attribute a : n.attributes().values()) {
                c.setAttribute(copyAttribute(a, g, values));
            }
        }
        for (Value out : src.outputs()) {
            g.addOutput(lookup(values, out, null));
        }
        for (Value vi : src.valueInfos()) {
            Value mapped = values.get(vi);
            g.valueInfos().add(mapped != null ? mapped : copyMeta(vi, new Value(vi.name(), vi.type())));
        }
        return g;
    }

    private static Attribute copyAttribute(Attribute a, Graph owner, Map<Value, Value> values) {
        if (a instanceof Attribute.GraphAttr ga) {
            return new Attribute.GraphAttr(ga.name(), copyGraph(ga.value(), owner, new IdentityHashMap<>(values)));
        }
        if (a instanceof Attribute.GraphsAttr gs) {
            List<Graph> out = new ArrayList<>();
            for (Graph sub : gs.values()) {
                out.add(copyGraph(sub, owner, new IdentityHashMap<>(values)));
            }
            return new Attribute.GraphsAttr(gs.name(), out);
        }
        return a; // records of immutable data
    }

    private static Value lookup(Map<Value, Value> values, Value v, Node user) {
        Value c = values.get(v);
        if (c == null) {
            throw new IllegalStateException("value '" + v.name() + "'" + (user == null ? " (a graph output)"
                    : " read by " + user) + " is neither produced in the graph nor an input or initializer of it "
                    + "or of an enclosing graph");
        }
        return c;
    }

    private static Value copyMeta(Value from, Value to) {
        if (from.type() != null && !to.isInitializer()) {
            to.setType(from.type());
        }
        to.setDocString(from.docString());
        to.setUnmodeled(from.unmodeled());
        return to;
    }
}
