package io.ortune.graph.analysis;

import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Folds shape computations into constants: a node of a supported op (see {@link #OPS}) whose inputs are all
 * constant (initializers that are not graph inputs, Constant nodes, or folded results) is evaluated in Java; Shape
 * and Size only need an input of fully known static shape. Each folded result that something unfolded still reads
 * becomes one Constant node with the original value's name; the folded nodes go. Works in place, subgraphs
 * included. Tensors over {@code maxElements} are neither read nor produced.
 */
public final class ConstantFolder {

    /** The ops folding evaluates. */
    public static final Set<String> OPS = ConstantEvaluator.OPS;

    public static final long DEFAULT_MAX_ELEMENTS = 1L << 16;

    /** How many nodes were folded, into how many Constant nodes. */
    public record Result(int foldedNodes, int constants) {
        public boolean changed() {
            return foldedNodes > 0;
        }

        Result plus(Result o) {
            return new Result(foldedNodes + o.foldedNodes, constants + o.constants);
        }
    }

    private final Graph graph;
    private final long maxElements;
    private final Map<Value, HostTensor> known = new IdentityHashMap<>();
    private final Set<Node> folded = GraphWalk.identitySet();

    private ConstantFolder(Graph graph, long maxElements) {
        this.graph = graph;
        this.maxElements = maxElements;
    }

    public static Result fold(Graph g) {
        return fold(g, DEFAULT_MAX_ELEMENTS);
    }

    public static Result fold(Graph g, long maxElements) {
        ConstantFolder f = new ConstantFolder(g, maxElements);
        f.evaluate();
        Result r = new Result(f.folded.size(), f.materialize());
        for (Node n : g.nodes()) {
            for (Graph sub : n.subgraphs()) {
                r = r.plus(fold(sub, maxElements));
            }
        }
        return r;
    }

    private void evaluate() {
        for (Node n : TopologicalSort.order(graph)) {
            if (!n.is("Constant") && OPS.contains(n.opType()) && n.subgraphs().isEmpty() && n.outputs().size() == 1) {
                HostTensor out = tryFold(n);
                if (out != null && out.size() <= maxElements) {
                    known.put(n.output(0), out);
                    folded.add(n);
                }
            }
        }
    }

    private HostTensor tryFold(Node n) {
        long[] staticShape = null;
        if (n.is("Shape") || n.is("Size")) {
            Shape s = n.input(0) == null ? null : n.input(0).shape();
            Optional<long[]> dims = s == null ? Optional.empty() : s.concrete();
            if (dims.isEmpty()) {
                return null;
            }
            staticShape = dims.get();
        }
        List<HostTensor> in = new ArrayList<>();
        for (int i = 0; i < n.inputCount(); i++) {
            Value v = n.input(i);
            HostTensor h = v == null || staticShape != null ? null : constant(v);
            if (v != null && h == null && staticShape == null) {
                return null;
            }
            in.add(h);
        }
        return ConstantEvaluator.eval(n, in, staticShape, maxElements);
    }

    private HostTensor constant(Value v) {
        HostTensor h = known.get(v);
        if (h != null || GraphWalk.isOverridableInitializer(graph, v)) {
            return h;
        }
        Tensor t = ConstantValues.of(v);
        if (t == null || t.elementCount() > maxElements) {
            return null;
        }
        h = HostTensor.of(t);
        if (h != null) {
            known.put(v, h);
        }
        return h;
    }

    /** Replaces each folded value still needed by a Constant node; removes the folded nodes. Returns the count. */
    private int materialize() {
        List<Node> order = new ArrayList<>();
        for (Node n : graph.nodes()) {
            if (folded.contains(n)) {
                order.add(n);
            }
        }
        List<Node[]> renames = new ArrayList<>();
        for (Node n : order) {
            Value v = n.output(0);
            if (neededOutsideFold(v)) {
                Tensor t = known.get(v).toTensor(v.name());
                Node c = graph.insertNode(graph.indexOf(n), n.name(), "", "Constant", List.of(),
                        List.of(v.name() + "__folded"), List.of(new Attribute.TensorAttr("value", t)));
                c.output().setType(ValueType.tensor(t.dtype(), Shape.ofLongs(t.dims())));
                v.replaceAllUsesWith(c.output());
                renames.add(new Node[] {c, n});
            }
        }
        Set<Node> feeding = GraphWalk.identitySet();
        for (Node n : order) {
            for (Value v : n.inputs()) {
                if (v != null && v.producer() != null && v.producer().is("Constant") && v.producer().graph() == graph) {
                    feeding.add(v.producer());
                }
            }
            graph.removeNode(n);
        }
        removeUnusedConstants(feeding);
        Set<Value> gone = GraphWalk.identitySet();
        for (Node[] pair : renames) {
            pair[0].output().setName(pair[1].output(0).name());
            gone.add(pair[1].output(0));
        }
        graph.valueInfos().removeIf(v -> v.producer() != null && v.producer().graph() == null || gone.contains(v));
        return renames.size();
    }

    /** Constant nodes that only fed folded nodes are left unused by the fold; they go too. */
    private void removeUnusedConstants(Set<Node> candidates) {
        for (Node c : candidates) {
            Value v = c.output(0);
            if (v.uses().isEmpty() && !graph.outputs().contains(v)) {
                graph.removeNode(c);
            }
        }
    }

    private boolean neededOutsideFold(Value v) {
        if (graph.outputs().contains(v)) {
            return true;
        }
        for (Value.Use u : v.uses()) {
            if (!folded.contains(u.node())) {
                return true;
            }
        }
        return false;
    }
}
