package io.ortune.graph.build;

import io.ortune.graph.analysis.CycleException;
import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Dim;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.List;

/**
 * Refines the output types of an existing graph with the {@link OpSchemas} rules, in topological order (after a
 * rewrite such as constant folding, or for an imported model without value_info). Declared types win; inference
 * only adds what is missing: a type, a rank, an unknown dim. Nodes failing their checks are skipped and counted.
 * Works in place, subgraphs included.
 */
public final class TypeInference {

    /** How many values got a better type, and how many nodes failed their schema check. */
    public record Result(int refined, int failedNodes) { }

    private TypeInference() {
    }

    /** Refines {@code model}'s graphs at the model's default-domain opset. */
    public static Result refine(Model model) {
        long v = model.opsetVersion("");
        long opset = v < 0 ? GraphBuilder.DEFAULT_OPSET : v;
        int refined = 0;
        int failed = 0;
        for (Graph g : GraphWalk.graphs(model.graph())) {
            for (Node n : ordered(g)) {
                int r = refine(n, opset);
                refined += Math.max(r, 0);
                failed += r < 0 ? 1 : 0;
            }
        }
        return new Result(refined, failed);
    }

    private static List<Node> ordered(Graph g) {
        try {
            return TopologicalSort.order(g);
        } catch (CycleException e) {
            return new ArrayList<>(g.nodes());
        }
    }

    /** The number of outputs refined, or -1 when the node fails its check. */
    private static int refine(Node n, long opset) {
        List<ValueType> types;
        try {
            types = OpSchemas.infer(n, opset);
        } catch (OpCheckException e) {
            return -1;
        }
        int count = 0;
        for (int i = 0; i < types.size(); i++) {
            ValueType merged = merge(n.output(i).type(), types.get(i));
            if (merged != null && !merged.equals(n.output(i).type())) {
                n.output(i).setType(merged);
                count++;
            }
        }
        return count;
    }

    /** The declared type, completed by the inferred one where the declared one says nothing. */
    public static ValueType merge(ValueType declared, ValueType inferred) {
        if (declared == null || inferred == null) {
            return declared == null ? inferred : declared;
        }
        if (!(declared instanceof ValueType.TensorType d) || !(inferred instanceof ValueType.TensorType t)
                || d.elementType() != t.elementType()) {
            return declared;
        }
        Shape ds = d.shape();
        Shape ts = t.shape();
        if (ds == null || !ds.hasRank()) {
            return ts == null ? declared : inferred;
        }
        if (ts == null || !ts.hasRank() || ts.rank() != ds.rank()) {
            return declared;
        }
        List<Dim> dims = new ArrayList<>(ds.dims());
        for (int i = 0; i < dims.size(); i++) {
            if (dims.get(i) instanceof Dim.Unknown) {
                dims.set(i, ts.dim(i));
            }
        }
        return ValueType.tensor(d.elementType(), new Shape(dims));
    }
}
