package io.ortune.training.autodiff;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.ModulePaths;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Activation recomputation per transformer layer (gradient checkpointing). When a gradient rule reads a forward
 * value produced inside a layer ({@code layers.N}/{@code h.N} in the producer's node name), it gets a copy
 * recomputed from the layer's inputs instead, made on first request, i.e. while the backward pass is at that
 * layer. The stored activations then die with the forward pass; only values that leave the layer (its outputs,
 * the residual stream), graph outputs, random ops (Dropout: a new mask would differ) and constants are shared.
 *
 * <p>ONNX Runtime runs a node as soon as its inputs exist, which would recompute every layer during the forward
 * pass. So the layer inputs a copy reads are gated on the gradient being propagated when the first copy of the layer
 * is made (see {@link #anchor}): the recomputation cannot start before the backward pass reaches the layer. The gate
 * also keeps common-subexpression elimination from merging the copies back into the forward nodes. With fully
 * static shapes, constant folding may fold the gate away: the gradients stay right, the memory saving goes.
 */
final class Recomputation {

    private static final Set<String> NEVER_RECOMPUTE = Set.of("Dropout", "RandomNormal", "RandomUniform",
            "RandomNormalLike", "RandomUniformLike", "Bernoulli", "Multinomial", "Constant");

    private final Graph graph;
    private final GraphBuilder b;
    private final Map<Node, Integer> layerOf = new IdentityHashMap<>();
    private final Set<Value> boundary = GraphWalk.identitySet();
    private final Map<Value, Value> copies = new IdentityHashMap<>();
    private final Set<String> names = new java.util.HashSet<>();
    private final Map<Integer, Map<Value, Value>> gated = new java.util.HashMap<>();
    private final Map<Integer, Value> zeros = new java.util.HashMap<>();
    private Value anchor;
    private int copiedNodes;

    Recomputation(Graph graph, GraphBuilder b) {
        this.graph = graph;
        this.b = b;
        for (Node n : graph.nodes()) {
            OptionalInt layer = ModulePaths.layerOf(n.name());
            if (layer.isPresent() && n.subgraphs().isEmpty() && !NEVER_RECOMPUTE.contains(n.opType())) {
                layerOf.put(n, layer.getAsInt());
            }
        }
        boundary.addAll(graph.outputs());
        for (Node n : graph.nodes()) {
            for (Value in : n.inputs()) {
                if (in != null && in.producer() != null && layerOf.containsKey(in.producer())
                        && !layerOf.get(in.producer()).equals(layerOf.get(n))) {
                    boundary.add(in);
                }
            }
        }
    }

    /** Layers found in node names. */
    int layerCount() {
        return (int) layerOf.values().stream().distinct().count();
    }

    int copiedNodes() {
        return copiedNodes;
    }

    /** The value the backward graph should read in place of forward value {@code v}. */
    Value map(Value v) {
        Node p = v.producer();
        if (p == null || !layerOf.containsKey(p) || boundary.contains(v)) {
            return v;
        }
        Value done = copies.get(v);
        if (done != null) {
            return done;
        }
        Node copy = copyOf(p);
        for (int i = 0; i < p.outputs().size(); i++) {
            copies.put(p.output(i), copy.output(i));
        }
        return copies.get(v);
    }

    /**
     * The gradient the backward pass is propagating right now. The first copy made for a layer is gated on it, so
     * that ONNX Runtime, which otherwise runs a node as soon as its inputs exist, cannot recompute the layer before
     * the backward pass reaches it.
     */
    void anchor(Value currentGradient) {
        this.anchor = currentGradient;
    }

    private Node copyOf(Node p) {
        int layer = layerOf.get(p);
        List<Value> inputs = new ArrayList<>();
        for (Value in : p.inputs()) {
            Value mapped = in == null ? null : map(in);
            inputs.add(mapped == in && needsGate(in) ? gate(layer, in) : mapped);
        }
        String nodeName = uniqueNodeName("/recompute" + (p.name().startsWith("/") ? "" : "/") + p.name());
        List<String> outs = new ArrayList<>();
        for (int i = 0; i < p.outputs().size(); i++) {
            outs.add(p.output(i).name().isEmpty() ? "" : b.names().outputName(nodeName, i));
        }
        Node c = graph.addNode(nodeName, p.domain(), p.opType(), inputs, outs, p.attributes().values());
        for (int i = 0; i < p.outputs().size(); i++) {
            c.output(i).setType(p.output(i).type());
        }
        copiedNodes++;
        return c;
    }

    /** Activations from outside the layer (not parameters, constants or integers) feed copies through a gate. */
    private static boolean needsGate(Value v) {
        return v != null && !v.isInitializer() && (v.producer() == null || !v.producer().is("Constant"))
                && v.dtype() != null && v.dtype().isFloatingPoint();
    }

    /**
     * {@code v} made to depend on the layer's anchor gradient at no cost: reshaped to its own shape plus
     * {@code size(anchor) - size(anchor)} (a run-time zero). ONNX Runtime's Reshape aliases its input.
     */
    private Value gate(int layer, Value v) {
        if (anchor == null) {
            return v;
        }
        Map<Value, Value> gatedHere = gated.computeIfAbsent(layer, k -> new IdentityHashMap<>());
        Value done = gatedHere.get(v);
        if (done != null) {
            return done;
        }
        try (GraphBuilder.Scope s = b.scope("recompute/gate")) {
            Value zero = zeros.computeIfAbsent(layer, k -> b.sub(b.size(anchor), b.size(anchor)));
            Value g = b.reshape(v, b.add(b.shape(v), zero));
            g.setType(v.type());
            gatedHere.put(v, g);
            return g;
        }
    }

    /** Copies are named {@code /recompute<original name>}, outside the gradient scope they are made in. */
    private String uniqueNodeName(String base) {
        String name = base;
        for (int k = 1; !names.add(name) || b.names().hasNode(name); k++) {
            name = base + "_" + k;
        }
        return name;
    }
}
