package io.ortune.training.autodiff;

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
 * A deep copy of a model's graph structure, so that differentiation never touches the caller's model. Tensors are
 * immutable and shared; graphs, nodes and values are new.
 */
final class ModelCopy {

    private ModelCopy() {
    }

    static Model of(Model src) {
        Graph g = copyGraph(src.graph(), null, new IdentityHashMap<>());
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
        return m;
    }

    private static Graph copyGraph(Graph src, Graph parent, Map<Value, Value> values) {
        Graph g = new Graph(src.name());
        g.setParent(parent);
        g.setDocString(src.docString());
        g.metadataProps().putAll(src.metadataProps());
        g.setUnmodeled(src.unmodeled());
        for (Value init : src.initializers().values()) {
            values.put(init, meta(init, g.addInitializer(init.constant())));
        }
        for (Value in : src.inputs()) {
            Value init = src.initializer(in.name()) == in ? values.get(in) : null;
            if (init != null) {
                g.addInput(init);
            } else {
                values.put(in, meta(in, g.addInput(in.name(), in.type())));
            }
        }
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
                values.put(n.output(i), meta(n.output(i), c.output(i)));
            }
            copies.add(c);
        }
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
            g.valueInfos().add(mapped != null ? mapped : meta(vi, new Value(vi.name(), vi.type())));
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
        return a;
    }

    private static Value lookup(Map<Value, Value> values, Value v, Node user) {
        Value c = values.get(v);
        if (c == null) {
            throw new IllegalArgumentException("value '" + v.name() + "'" + (user == null ? " (a graph output)"
                    : " read by " + user) + " is not produced in the graph nor an input or initializer of it or of "
                    + "an enclosing graph");
        }
        return c;
    }

    private static Value meta(Value from, Value to) {
        if (from.type() != null && !to.isInitializer()) {
            to.setType(from.type());
        }
        to.setDocString(from.docString());
        to.setUnmodeled(from.unmodeled());
        return to;
    }
}
