package io.ortune.graph.pass;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;

/**
 * {@code upgrade-opset-13}: lifts a default-domain opset 11 or 12 model (PyTorch's classic exports, e.g.
 * all-MiniLM-L6-v2) to opset 13, the oldest the graph builder emits for, so passes built on it can rewrite the
 * model. What changed at 13 and what the pass does:
 * <ul>
 *   <li>{@code Unsqueeze}, {@code Squeeze}, {@code ReduceSum}: the {@code axes} attribute became an int64 input;
 *       the attribute moves to an initializer;</li>
 *   <li>{@code Split}: the {@code split} attribute became an input; likewise;</li>
 *   <li>{@code Softmax}, {@code LogSoftmax}, {@code Hardmax}: from "flatten to 2-D at axis" to "along axis"; the
 *       two agree when the axis is the last one, which the pass requires (axis -1, or rank − 1 with the rank from
 *       shape inference), failing with the node's name otherwise.</li>
 * </ul>
 * Every other default-domain op means the same at 13 as at 11. Subgraphs are not searched (a model with
 * If/Loop bodies is refused).
 */
public final class Opset13UpgradePass implements Pass {

    public static final String NAME = "upgrade-opset-13";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        long opset = model.opsetVersion("");
        if (opset >= 13) {
            return PassResult.unchanged(model, "opset " + opset + " is already 13 or newer");
        }
        if (opset < 11) {
            throw new IllegalArgumentException(NAME + ": " + "model imports opset " + opset + "; this pass lifts 11 and 12 only");
        }
        // Shape inference (on a copy) gives Softmax inputs their ranks.
        Model copy = new ShapeInferencePass().run(GraphCopier.copy(model)).model();
        Graph g = copy.graph();
        int moved = 0;
        List<Node> nodes = new ArrayList<>(g.nodes());
        for (Node n : nodes) {
            if (!n.subgraphs().isEmpty()) {
                throw new IllegalArgumentException(NAME + ": " + "node '" + n.name() + "' (" + n.opType() + ") has subgraphs, which "
                        + "this pass does not upgrade");
            }
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                continue;
            }
            switch (n.opType()) {
                case "Unsqueeze", "Squeeze", "ReduceSum" -> moved += attrToInput(g, n, "axes", 1);
                case "Split" -> moved += attrToInput(g, n, "split", 1);
                case "Softmax", "LogSoftmax", "Hardmax" -> checkLastAxis(n);
                default -> { }
            }
        }
        copy.opsetImports().put("", 13L);
        return PassResult.changed(copy, "opset " + opset + " -> 13: moved " + moved + " attribute(s) to inputs");
    }

    private static int attrToInput(Graph g, Node n, String attr, int position) {
        if (n.attribute(attr) == null) {
            return 0;
        }
        long[] values = n.intsAttr(attr);
        String name = uniqueName(g, n.name().isEmpty() ? n.opType() + "_" + attr : n.name() + "_" + attr);
        Value init = g.addInitializer(Tensor.vectorLong(name, values));
        n.removeAttribute(attr);
        if (n.inputCount() != position) {
            throw new IllegalArgumentException(NAME + ": " + "node '" + n.name() + "' (" + n.opType() + ") has " + n.inputCount()
                    + " inputs besides its '" + attr + "' attribute; expected " + position);
        }
        n.addInput(init);
        return 1;
    }

    private static void checkLastAxis(Node n) {
        long axis = n.intAttr("axis", 1);
        if (axis == -1) {
            return;
        }
        Value x = n.input(0);
        boolean last = x.shape() != null && x.shape().hasRank() && axis == x.shape().rank() - 1;
        if (!last) {
            throw new IllegalArgumentException(NAME + ": " + "node '" + n.name() + "' (" + n.opType() + ") has axis " + axis
                    + ", which means 'flatten from axis' before opset 13 and 'along axis' after; only the last axis "
                    + "means the same in both");
        }
    }

    private static String uniqueName(Graph g, String base) {
        String name = base;
        int i = 1;
        while (g.initializer(name) != null || valueNamed(g, name)) {
            name = base + "_" + i++;
        }
        return name;
    }

    private static boolean valueNamed(Graph g, String name) {
        for (Value v : g.inputs()) {
            if (v.name().equals(name)) {
                return true;
            }
        }
        for (Node n : g.nodes()) {
            for (Value v : n.outputs()) {
                if (name.equals(v.name())) {
                    return true;
                }
            }
        }
        return false;
    }
}
