package io.ortune.graph.pass;

import io.ortune.graph.analysis.GraphCopier;
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
 * {@code upgrade-opset}: lifts a model of default-domain opset 1..6 to opset 7, the oldest ONNX Runtime runs.
 *
 * <p>What changed at 7, and what the pass does about it:
 * <ul>
 *   <li>binary arithmetic/logic ops lost {@code broadcast}/{@code axis} for NumPy broadcasting: with an
 *       {@code axis}, the second operand is given trailing 1-dims so that it lines up at that axis;</li>
 *   <li>{@code Gemm} lost {@code broadcast} (C now broadcasts unidirectionally, a superset);</li>
 *   <li>{@code PRelu}'s per-channel slope {@code [C]} now broadcasts NumPy-style: it becomes {@code [C,1,...]};</li>
 *   <li>{@code BatchNormalization} and {@code Dropout} lost {@code is_test} (inference behaviour is kept).</li>
 * </ul>
 * Every other op of these models means the same at 7. A reshape the pass needs on a non-constant operand, or on
 * an operand whose rank is unknown, is reported as a failure naming the node rather than guessed.
 */
public final class LegacyOpsetUpgradePass implements Pass {

    public static final String NAME = "upgrade-opset";
    private static final long TARGET = 7;
    private static final Set<String> BROADCASTING = Set.of("Add", "Sub", "Mul", "Div", "Pow", "And", "Or", "Xor",
            "Equal", "Greater", "Less");

    /** Whether {@code model}'s default-domain opset is below 7, the oldest ONNX Runtime runs. */
    public static boolean needsUpgrade(Model model) {
        long version = model.opsetVersion("");
        return version >= 0 && version < TARGET;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public PassResult run(Model model) {
        long version = model.opsetVersion("");
        if (version < 0 || version >= TARGET) {
            return PassResult.unchanged(model, "default-domain opset is " + version + "; nothing to upgrade");
        }
        Model copy = GraphCopier.copy(model);
        List<String> changes = new ArrayList<>();
        upgrade(copy.graph(), changes);
        copy.opsetImports().remove("ai.onnx");
        copy.opsetImports().put("", TARGET);
        changes.add(0, "upgraded default-domain opset " + version + " -> " + TARGET);
        return PassResult.changed(copy, changes.toArray(new String[0]));
    }

    private static void upgrade(Graph g, List<String> changes) {
        for (Node n : List.copyOf(g.nodes())) {
            if (!n.domain().isEmpty() && !n.domain().equals("ai.onnx")) {
                continue;
            }
            if (BROADCASTING.contains(n.opType())) {
                legacyBroadcast(g, n, changes);
            } else if (n.opType().equals("Gemm")) {
                n.removeAttribute("broadcast");
            } else if (n.opType().equals("PRelu")) {
                channelSlope(g, n, changes);
            } else if (n.opType().equals("BatchNormalization") || n.opType().equals("Dropout")) {
                n.removeAttribute("is_test");
            }
            for (Graph sub : n.subgraphs()) {
                upgrade(sub, changes);
            }
        }
    }

    /** Opset &lt; 7 {@code broadcast=1, axis=a}: B aligns with A starting at axis a; NumPy aligns trailing dims. */
    private static void legacyBroadcast(Graph g, Node n, List<String> changes) {
        long broadcast = n.intAttr("broadcast", 0);
        Attribute axisAttr = n.attribute("axis");
        n.removeAttribute("broadcast");
        n.removeAttribute("axis");
        if (broadcast == 0 || axisAttr == null) {
            return; // equal shapes, or suffix alignment: the same under NumPy rules
        }
        int rankA = rankOf(n, n.input(0));
        long axis = ((Attribute.IntAttr) axisAttr).value();
        if (axis < 0) {
            axis += rankA;
        }
        int rankB = rankOf(n, n.input(1));
        int trailing = (int) (rankA - axis - rankB);
        if (trailing > 0) {
            padTrailing(g, n, 1, trailing);
            changes.add(n + ": second operand given " + trailing + " trailing 1-dims to keep axis=" + axis);
        }
    }

    /** Opset 6 PRelu applies a {@code [C]} slope per channel (axis 1); at 7 it must read {@code [C,1,...]}. */
    private static void channelSlope(Graph g, Node n, List<String> changes) {
        int rankX = rankOf(n, n.input(0));
        int rankSlope = rankOf(n, n.input(1));
        long[] slopeDims = dimsOf(n, n.input(1));
        boolean scalarLike = slopeDims.length == 0 || (slopeDims.length == 1 && slopeDims[0] == 1);
        if (scalarLike || rankX < 3) {
            return;
        }
        int trailing = rankX - 1 - rankSlope;
        if (trailing > 0) {
            padTrailing(g, n, 1, trailing);
            changes.add(n + ": slope reshaped to per-channel form with " + trailing + " trailing 1-dims");
        }
    }

    private static void padTrailing(Graph g, Node n, int inputIndex, int ones) {
        Value v = n.input(inputIndex);
        Tensor t = v.constant();
        if (t == null && v.producer() != null && v.producer().is("Constant")) {
            t = v.producer().tensorAttr("value");
        }
        if (t == null) {
            throw new IllegalStateException(n + ": legacy broadcast of non-constant input '" + v.name()
                    + "' needs a Reshape; not supported by " + NAME);
        }
        long[] dims = t.dims();
        long[] padded = java.util.Arrays.copyOf(dims, dims.length + ones);
        java.util.Arrays.fill(padded, dims.length, padded.length, 1L);
        String name = uniqueInitializerName(g, v.name() + "_opset7");
        Value reshaped = g.addInitializer(t.withName(name).withData(t.dtype(), padded, t.data()));
        n.setInput(inputIndex, reshaped);
    }

    private static String uniqueInitializerName(Graph g, String base) {
        String name = base;
        for (int i = 1; g.initializer(name) != null; i++) {
            name = base + "_" + i;
        }
        return name;
    }

    private static long[] dimsOf(Node n, Value v) {
        if (v.constant() != null) {
            return v.constant().dims();
        }
        if (v.producer() != null && v.producer().is("Constant")) {
            return v.producer().tensorAttr("value").dims();
        }
        Shape s = v.shape();
        if (s != null && s.concrete().isPresent()) {
            return s.concrete().get();
        }
        throw new IllegalStateException(n + ": the shape of '" + v.name() + "' is unknown; " + NAME
                + " needs it to translate legacy broadcasting");
    }

    private static int rankOf(Node n, Value v) {
        Shape s = v.constant() != null ? Shape.ofLongs(v.constant().dims()) : v.shape();
        if (s == null && v.producer() != null && v.producer().is("Constant")) {
            s = Shape.ofLongs(v.producer().tensorAttr("value").dims());
        }
        if (s == null || !s.hasRank()) {
            throw new IllegalStateException(n + ": the rank of '" + v.name() + "' is unknown; " + NAME
                    + " needs it to translate legacy broadcasting");
        }
        return s.rank();
    }
}
