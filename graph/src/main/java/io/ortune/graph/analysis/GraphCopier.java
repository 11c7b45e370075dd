package io.ortune.graph.analysis;

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
 * Deep copies of models and graphs: new graphs, nodes and values (subgraphs included, outer-scope reads
 * re-linked to the copied values), sharing only what is immutable (tensors, types, attribute records other than
 * graphs). Mutating the copy never touches the original. Node order is kept as is, sorted or not. A value read but
 * defined nowhere (a broken graph, or a subgraph copied alone) is copied as a detached value of the same name and
 * type, so the copy is as broken as the original, never linked to it.
 */
public final class GraphCopier {

    private final Map<Value, Value> map = new IdentityHashMap<>();

    private GraphCopier() {
    }

    public static Model copy(Model m) {
        return new GraphCopier().copyModel(m);
    }

    private Model copyModel(Model m) {
        Model out = new Model(copyGraph(m.graph(), null));
        out.setIrVersion(m.irVersion());
        out.opsetImports().putAll(m.opsetImports());
        out.setProducerName(m.producerName());
        out.setProducerVersion(m.producerVersion());
        out.setDomain(m.domain());
        out.setModelVersion(m.modelVersion());
        out.setDocString(m.docString());
        out.metadataProps().putAll(m.metadataProps());
        out.functions().addAll(m.functions());
        out.setUnmodeled(m.unmodeled());
        return out;
    }

    /** A copied model with the map from each original value (main graph and subgraphs) to its copy. */
    public record Mapped(Model model, Map<Value, Value> values) {
        /** The copy of {@code original}; fails clearly for a value that is not in the copied model. */
        public Value map(Value original) {
            Value v = values.get(original);
            if (v == null) {
                throw new IllegalArgumentException("value '" + original.name() + "' is not in the copied model");
            }
            return v;
        }
    }

    /** Like {@link #copy(Model)}, also returning which copy stands for each original value. */
    public static Mapped copyWithMapping(Model m) {
        GraphCopier c = new GraphCopier();
        Model out = c.copyModel(m);
        return new Mapped(out, java.util.Collections.unmodifiableMap(c.map));
    }

    /** A copy of {@code g} with no parent; values it reads from enclosing graphs become detached copies. */
    public static Graph copy(Graph g) {
        return new GraphCopier().copyGraph(g, null);
    }

    /**
     * Copies {@code nodes} (in the given order) into {@code target}; {@code map} says which target value stands
     * for each source value and receives the copies of the nodes' outputs. Used to copy a slice of a graph.
     */
    static void copyNodesInto(Graph target, List<Node> nodes, Map<Value, Value> map) {
        GraphCopier c = new GraphCopier();
        c.map.putAll(map);
        c.copyNodes(nodes, target);
        map.putAll(c.map);
    }

    private Graph copyGraph(Graph src, Graph parent) {
        Graph dst = new Graph(src.name());
        dst.setParent(parent);
        dst.setDocString(src.docString());
        dst.setUnmodeled(src.unmodeled());
        dst.metadataProps().putAll(src.metadataProps());
        for (Value init : src.initializers().values()) {
            Value v = dst.addInitializer(init.constant());
            copyValueInfo(init, v);
            map.put(init, v);
        }
        for (Value in : src.inputs()) {
            Value mapped = map.get(in);
            if (mapped != null && in.isInitializer()) {
                dst.addInput(mapped);
            } else {
                Value v = dst.addInput(in.name(), in.type());
                copyValueInfo(in, v);
                map.put(in, v);
            }
        }
        copyNodes(src.nodes(), dst);
        for (Value out : src.outputs()) {
            dst.addOutput(resolve(out));
        }
        for (Value info : src.valueInfos()) {
            dst.valueInfos().add(resolve(info));
        }
        return dst;
    }

    /** Two passes, so that an input produced by a later node (unsorted graphs, cycles) still links. */
    private void copyNodes(List<Node> nodes, Graph dst) {
        List<Node> copies = new ArrayList<>(nodes.size());
        for (Node n : nodes) {
            List<String> outNames = new ArrayList<>();
            for (Value o : n.outputs()) {
                outNames.add(o.name());
            }
            Node c = dst.addNode(n.name(), n.domain(), n.opType(), List.of(), outNames, null);
            c.setOverload(n.overload());
            c.setDocString(n.docString());
            c.setUnmodeled(n.unmodeled());
            c.metadataProps().putAll(n.metadataProps());
            for (int i = 0; i < n.outputs().size(); i++) {
                copyValueInfo(n.output(i), c.output(i));
                map.put(n.output(i), c.output(i));
            }
            copies.add(c);
        }
        for (int k = 0; k < nodes.size(); k++) {
            Node n = nodes.get(k);
            Node c = copies.get(k);
            for (Value v : n.inputs()) {
                c.addInput(v == null ? null : resolve(v));
            }
            for (Attribute a : n.attributes().values()) {
                c.setAttribute(copyAttribute(a, dst));
            }
        }
    }

    private Attribute copyAttribute(Attribute a, Graph owner) {
        if (a instanceof Attribute.GraphAttr g) {
            return new Attribute.GraphAttr(g.name(), copyGraph(g.value(), owner));
        }
        if (a instanceof Attribute.GraphsAttr gs) {
            List<Graph> out = new ArrayList<>();
            for (Graph g : gs.values()) {
                out.add(copyGraph(g, owner));
            }
            return new Attribute.GraphsAttr(gs.name(), out);
        }
        return a;
    }

    /** The copy of {@code v}; a detached copy for values defined nowhere in what is being copied. */
    private Value resolve(Value v) {
        Value m = map.get(v);
        if (m == null) {
            m = new Value(v.name(), v.type());
            copyValueInfo(v, m);
            map.put(v, m);
        }
        return m;
    }

    private static void copyValueInfo(Value from, Value to) {
        to.setType(from.type());
        to.setDocString(from.docString());
        to.setUnmodeled(from.unmodeled());
    }
}
