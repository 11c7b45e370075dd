package io.ortune.graph.pass;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.build.TypeInference;
import io.ortune.graph.ir.Attribute;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Shape;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code upgrade-opset-13}: lifts a model of default-domain opset 11 or 12 (what PyTorch exported for years) to 13,
 * the oldest opset ortune's graph builder and rewrites target.
 *
 * <p>What changed at 12 and 13, and what the pass does about it:
 * <ul>
 *   <li>{@code Unsqueeze}, {@code Squeeze}, {@code ReduceSum}: {@code axes} moved from an attribute to an int64
 *       input; {@code Split}: {@code split} likewise — the attribute becomes an initializer input;</li>
 *   <li>{@code Dropout} (12): {@code ratio} moved to an input — likewise;</li>
 *   <li>{@code Softmax}, {@code LogSoftmax}, {@code Hardmax}: 11 flattens the input to 2-D at {@code axis} (default
 *       1), 13 normalizes along one axis (default −1). They agree when the axis is the last one: the axis is written
 *       out explicitly; any other axis, or an input of unknown rank, fails naming the node;</li>
 *   <li>{@code Resize}: {@code coordinate_transformation_mode="tf_half_pixel_for_nn"} was removed — fails naming the
 *       node.</li>
 * </ul>
 * Every other default-domain op means the same at 13 (the new versions add types or optional attributes with the old
 * behaviour as default). Models already at 13 or newer, or older than 11, are left alone (older ones: run
 * {@code upgrade-opset} and an external converter).
 */
public final class Opset13UpgradePass implements Pass {

    public static final String NAME = "upgrade-opset-13";
    private static final long TARGET = 13;
    private static final Set<String> AXES_TO_INPUT = Set.of("Unsqueeze", "Squeeze", "ReduceSum");
    private static final Set<String> SOFTMAX_LIKE = Set.of("Softmax", "LogSoftmax", "Hardmax");

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        long version = model.opsetVersion("");
        if (version < 11 || version >= TARGET) {
            return PassResult.unchanged(model, "default-domain opset is " + version + "; this pass lifts 11 and 12");
        }
        Model copy = GraphCopier.copy(model);
        List<String> changes = new ArrayList<>();
        upgrade(copy.graph(), changes);
        copy.opsetImports().remove("ai.onnx");
        copy.opsetImports().put("", TARGET);
        TypeInference.refine(copy);
        softmaxAxes(copy.graph(), changes);
        changes.add(0, "upgraded default-domain opset " + version + " -> " + TARGET);
        return PassResult.changed(copy, changes.toArray(new String[0]));
    }

    private static void upgrade(Graph g, List<String> changes) {
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                continue;
            }
            String op = n.opType();
            if (AXES_TO_INPUT.contains(op)) {
                attributeToInput(g, n, "axes", 1, changes);
            } else if (op.equals("Split")) {
                attributeToInput(g, n, "split", 1, changes);
            } else if (op.equals("Dropout") && n.attribute("ratio") != null) {
                float ratio = n.floatAttr("ratio", 0.5f);
                n.removeAttribute("ratio");
                while (n.inputCount() < 1) {
                    n.addInput(null);
                }
                n.truncateInputs(1);
                n.addInput(g.addInitializer(Tensor.scalarFloat(unique(g, n, "ratio"), ratio)));
                changes.add(n.name() + ": ratio attribute -> input");
            } else if (op.equals("Resize") && n.stringAttr("coordinate_transformation_mode", "")
                    .equals("tf_half_pixel_for_nn")) {
                throw new IllegalStateException(NAME + ": node '" + n.name() + "' (Resize) uses "
                        + "coordinate_transformation_mode tf_half_pixel_for_nn, which opset 13 removed");
            }
            for (Graph sub : n.subgraphs()) {
                upgrade(sub, changes);
            }
        }
    }

    /** The ints attribute {@code attr} becomes input {@code index} (an int64 initializer); absent: nothing to do. */
    private static void attributeToInput(Graph g, Node n, String attr, int index, List<String> changes) {
        long[] values = n.intsAttr(attr);
        if (values == null) {
            return;
        }
        n.removeAttribute(attr);
        while (n.inputCount() < index) {
            n.addInput(null);
        }
        Value v = g.addInitializer(Tensor.vectorLong(unique(g, n, attr), values));
        if (n.inputCount() > index) {
            n.setInput(index, v);
        } else {
            n.addInput(v);
        }
        changes.add(n.name() + ": " + attr + " attribute -> input");
    }

    /** After the other rewrites and type inference (which needs them), since the check needs input ranks. */
    private static void softmaxAxes(Graph g, List<String> changes) {
        for (Node n : g.nodes()) {
            if ((n.domain().isEmpty() || n.domain().equals("ai.onnx")) && SOFTMAX_LIKE.contains(n.opType())) {
                lastAxisOnly(n, changes);
            }
            for (Graph sub : n.subgraphs()) {
                softmaxAxes(sub, changes);
            }
        }
    }

    private static void lastAxisOnly(Node n, List<String> changes) {
        Shape s = n.input(0).shape();
        if (s == null || !s.hasRank()) {
            throw new IllegalStateException(NAME + ": node '" + n.name() + "' (" + n.opType() + "): the rank of "
                    + "its input '" + n.input(0).name() + "' is unknown, so whether opset 11's 2-D coercion equals "
                    + "opset 13's single-axis " + n.opType() + " cannot be decided");
        }
        int rank = s.rank();
        long axis = n.intAttr("axis", 1);
        long normalized = axis < 0 ? axis + rank : axis;
        if (normalized != rank - 1) {
            throw new IllegalStateException(NAME + ": node '" + n.name() + "' (" + n.opType() + ") normalizes "
                    + "over axes " + normalized + ".." + (rank - 1) + " of a rank-" + rank + " input at opset 11; "
                    + "opset 13 only normalizes over one axis");
        }
        n.setAttribute(new Attribute.IntAttr("axis", rank - 1));
        changes.add(n.name() + ": " + n.opType() + " axis " + (rank - 1) + " made explicit");
    }

    private static String unique(Graph g, Node n, String what) {
        String base = (n.name().isEmpty() ? n.opType() : n.name()) + "_" + what;
        String name = base;
        for (int i = 1; g.initializer(name) != null; i++) {
            name = base + "_" + i;
        }
        return name;
    }
}
