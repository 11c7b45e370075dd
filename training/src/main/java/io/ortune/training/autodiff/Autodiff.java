package io.ortune.training.autodiff;

import io.ortune.graph.analysis.GraphWalk;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.build.GraphBuilder;
import io.ortune.graph.build.OpCheckException;
import io.ortune.graph.build.OpSchemas;
import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.ir.ValueType;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Reverse-mode differentiation of an ONNX model: appends to a copy of {@code forward} the nodes computing the
 * gradient of a scalar loss with respect to the selected parameters.
 *
 * <pre>{@code
 * AutodiffResult r = Autodiff.differentiate(model, "loss", TrainableSet.layers(0, 1), AutodiffOptions.defaults());
 * ArtifactSet artifacts = TrainingArtifacts.build(r.model(), r.loss(), r.gradients(), r.trainable(), r.frozen());
 * }</pre>
 *
 * <p>Only nodes between the loss and the trainable parameters are differentiated; frozen parameters, integer and
 * bool values get no gradient nodes. See {@link GradientRules} for the ops supported.
 */
public final class Autodiff {

    private Autodiff() {
    }

    /** Differentiates with {@link AutodiffOptions#defaults()}. */
    public static AutodiffResult differentiate(Model forward, String lossName, TrainableSet trainable) {
        return differentiate(forward, lossName, trainable, AutodiffOptions.defaults());
    }

    /**
     * Differentiates {@code lossName} with respect to the parameters {@code trainable} selects.
     *
     * @throws UnsupportedGradientException when a node on the way has no rule
     * @throws IllegalArgumentException     when the loss is missing or not floating point, a name is unknown, or a
     *                                      forward node breaks its op's schema
     */
    public static AutodiffResult differentiate(Model forward, String lossName, TrainableSet trainable,
                                               AutodiffOptions options) {
        Model m = GraphCopier.copy(forward);
        Graph g = m.graph();
        GraphBuilder b = GraphBuilder.on(m);
        inferMissingTypes(g, b.opset());
        Value loss = findLoss(g, lossName);
        TrainableSet.Selection sel = trainable.select(g);
        Map<String, Value> params = parameterValues(g, sel.trainable());
        List<String> notes = new ArrayList<>();

        Reachability reach = Reachability.compute(g, loss, params.values());
        Map<Value, Value> moved = ForwardRewrites.apply(g, b, reach.active(), options.useOrtGradientKernels(), notes);
        if (!moved.isEmpty()) {
            loss = moved.getOrDefault(loss, loss);
            reach = Reachability.compute(g, loss, params.values());
        }
        Set<Node> forwardNodes = GraphWalk.identitySet();
        forwardNodes.addAll(g.nodes());
        Recomputation recompute = options.recomputeLayers() ? new Recomputation(g, b) : null;
        if (recompute != null && recompute.layerCount() == 0) {
            notes.add("recomputation asked for, but no node name names a layer (layers.N / h.N): nothing recomputed");
        }
        Map<String, Integer> rulesUsed = new TreeMap<>();
        Map<String, Integer> ortKernels = new TreeMap<>();
        GradContext ctx = new GradContext(b, options, reach, recompute, ortKernels);
        GradientSums sums = new GradientSums();
        if (reach.relevant(loss)) {
            try (GraphBuilder.Scope s = b.scope("grad/seed")) {
                sums.add(loss, seed(ctx, loss));
            }
        }
        new BackwardPass(b, options.rules(), ctx, reach, sums, rulesUsed, recompute).run();

        Map<String, Value> gradients = new LinkedHashMap<>();
        Map<String, String> missing = new LinkedHashMap<>();
        for (Map.Entry<String, Value> p : params.entrySet()) {
            Value grad = reach.relevant(p.getValue()) ? sums.total(b, p.getValue()) : null;
            if (grad == null) {
                missing.put(p.getKey(), "the loss '" + lossName + "' does not depend on it through differentiable ops"
                        + (options.zeroUnreachable() ? " (given a zero gradient)" : ""));
                if (!options.zeroUnreachable()) {
                    continue;
                }
                grad = ctx.zerosLike(p.getValue());
            }
            gradients.put(p.getKey(), name(b, g, grad, p.getKey() + "_grad", forwardNodes, gradients));
        }
        if (options.gradientsAsOutputs()) {
            if (!g.outputs().contains(loss)) {
                g.addOutput(loss);
            }
            for (Value grad : gradients.values()) {
                g.addOutput(grad);
            }
        }
        int emitted = g.nodes().size() - forwardNodes.size();
        List<String> with = new ArrayList<>(gradients.keySet());
        missing.keySet().forEach(with::remove);
        AutodiffReport report = new AutodiffReport(reach.active().size(), emitted, with, missing, sel.frozen(),
                new TreeMap<>(rulesUsed), new TreeMap<>(ortKernels),
                recompute == null ? 0 : recompute.copiedNodes(), notes);
        return new AutodiffResult(m, loss, gradients, sel.trainable(), sel.frozen(), report);
    }

    private static Value findLoss(Graph g, String lossName) {
        Value loss = null;
        for (Value v : g.outputs()) {
            if (v.name().equals(lossName)) {
                loss = v;
            }
        }
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) {
                if (loss == null && v.name().equals(lossName)) {
                    loss = v;
                }
            }
        }
        if (loss == null) {
            throw new IllegalArgumentException("graph '" + g.name() + "' has no value named '" + lossName
                    + "' (outputs: " + g.outputs().stream().map(Value::name).toList() + ")");
        }
        if (loss.dtype() != null && !loss.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("loss '" + lossName + "' is " + loss.dtype().onnxName()
                    + "; it must be floating point");
        }
        return loss;
    }

    private static Map<String, Value> parameterValues(Graph g, List<String> names) {
        Map<String, Value> out = new LinkedHashMap<>();
        for (String n : names) {
            Value v = g.initializer(n);
            if (v == null) {
                v = g.inputs().stream().filter(in -> in.name().equals(n)).findFirst().orElseThrow(() ->
                        new IllegalArgumentException("trainable parameter '" + n + "' is neither an initializer nor "
                                + "an input of graph '" + g.name() + "'"));
            }
            out.put(n, v);
        }
        return out;
    }

    /** dLoss/dLoss: ones of the loss's shape (a scalar one for the usual scalar loss). */
    private static Value seed(GradContext ctx, Value loss) {
        Value one = ctx.scalar(loss, 1.0);
        return GradContext.rank(loss) == 0 ? one : ctx.builder().expand(one, ctx.shapeOf(loss));
    }

    /** Names a gradient {@code <param>_grad}: renames the value when it is ours alone, else adds an Identity. */
    private static Value name(GraphBuilder b, Graph g, Value grad, String wanted, Set<Node> forwardNodes,
                              Map<String, Value> named) {
        boolean ours = grad.producer() != null && !forwardNodes.contains(grad.producer())
                && !named.containsValue(grad) && !g.outputs().contains(grad);
        if (ours && b.names().reserveValue(wanted)) {
            grad.setName(wanted);
            return grad;
        }
        Value id;
        try (GraphBuilder.Scope s = b.scope("grad/names")) {
            id = b.identity(grad);
        }
        id.setName(b.names().reserveValue(wanted) ? wanted : b.names().uniqueValue(wanted));
        return id;
    }

    /**
     * Fills output types the model does not declare, from ortune's op schemas, so rules can use static shapes. A
     * node that breaks its schema fails here, naming it, rather than as a confusing gradient error later.
     */
    private static void inferMissingTypes(Graph g, long opset) {
        for (Node n : TopologicalSort.order(g)) {
            boolean missing = n.outputs().stream().anyMatch(v -> v.type() == null);
            if (!missing) {
                continue;
            }
            List<ValueType> types;
            try {
                types = OpSchemas.infer(n, opset);
            } catch (OpCheckException e) {
                throw new IllegalArgumentException("cannot differentiate graph '" + g.name() + "': its node '"
                        + n.name() + "' (" + n.opType() + ") breaks the op's schema: " + e.problem(), e);
            }
            for (int i = 0; i < n.outputs().size(); i++) {
                if (n.output(i).type() == null && types.get(i) != null) {
                    n.output(i).setType(types.get(i));
                }
            }
        }
    }
}
