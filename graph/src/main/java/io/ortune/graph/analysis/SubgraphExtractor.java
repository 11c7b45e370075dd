package io.ortune.graph.analysis;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Cuts the part of a model's main graph between given input and output values into a new model: the nodes the
 * outputs depend on, stopping at the given inputs, plus the initializers those nodes read. The new model keeps
 * the original's opsets, IR version and functions; the original is not changed.
 */
public final class SubgraphExtractor {

    private SubgraphExtractor() {
    }

    /**
     * @param inputNames  values that become the new graph's inputs (any values: graph inputs, initializers or node
     *                    outputs of the original)
     * @param outputNames values that become its outputs
     * @throws IllegalArgumentException for unknown names, or when an output depends on a graph input that is not
     *                                  among {@code inputNames}
     */
    public static Model extract(Model model, List<String> inputNames, List<String> outputNames) {
        Graph src = model.graph();
        GraphIndex index = GraphIndex.of(src);
        List<Value> inputs = lookup(index, inputNames, "input");
        List<Value> outputs = lookup(index, outputNames, "output");
        Set<Value> stop = GraphWalk.identitySet();
        stop.addAll(inputs);
        Set<Node> keep = GraphWalk.identitySet();
        Set<Value> inits = GraphWalk.identitySet();
        collect(src, outputs, stop, keep, inits);

        Graph dst = new Graph(src.name() + "_extract");
        Map<Value, Value> map = new IdentityHashMap<>();
        for (Value v : src.initializers().values()) {
            if (inits.contains(v)) {
                map.put(v, dst.addInitializer(v.constant()));
            }
        }
        for (Value v : inputs) {
            map.put(v, dst.addInput(v.name(), v.type()));
        }
        List<Node> nodes = new ArrayList<>();
        for (Node n : src.nodes()) {
            if (keep.contains(n)) {
                nodes.add(n);
            }
        }
        GraphCopier.copyNodesInto(dst, nodes, map);
        for (Value v : outputs) {
            dst.addOutput(map.get(v));
        }
        return wrap(model, dst);
    }

    private static List<Value> lookup(GraphIndex index, List<String> names, String role) {
        List<Value> out = new ArrayList<>();
        for (String name : names) {
            Value v = index.value(name);
            if (v == null) {
                throw new IllegalArgumentException("extraction " + role + " '" + name + "' is not a value of graph '"
                        + index.graph().name() + "'");
            }
            out.add(v);
        }
        return out;
    }

    private static void collect(Graph src, List<Value> outputs, Set<Value> stop, Set<Node> keep, Set<Value> inits) {
        Deque<Value> work = new ArrayDeque<>(outputs);
        Set<Value> seen = GraphWalk.identitySet();
        while (!work.isEmpty()) {
            Value v = work.pop();
            if (!seen.add(v) || stop.contains(v)) {
                continue;
            }
            Node p = v.producer();
            if (p != null && p.graph() == src) {
                if (keep.add(p)) {
                    work.addAll(GraphWalk.dependencies(p));
                }
            } else if (src.initializers().get(v.name()) == v && !src.inputs().contains(v)) {
                inits.add(v);
            } else if (src.inputs().contains(v)) {
                throw new IllegalArgumentException("the extracted outputs depend on graph input '" + v.name()
                        + "', which is not among the extraction inputs");
            } else {
                throw new IllegalArgumentException("the extracted outputs read value '" + v.name()
                        + "', which nothing in graph '" + src.name() + "' produces");
            }
        }
    }

    private static Model wrap(Model original, Graph g) {
        Model m = new Model(g);
        m.setIrVersion(original.irVersion());
        m.opsetImports().putAll(original.opsetImports());
        m.functions().addAll(original.functions());
        m.setProducerName(original.producerName());
        m.setProducerVersion(original.producerVersion());
        return m;
    }
}
