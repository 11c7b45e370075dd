package io.ortune.export.quant;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Where static int8 puts its Q/DQ pairs, by {@link QuantTarget}'s rules.
 *
 * @param activations names of the float activations to quantize per tensor, in graph order
 * @param products    those of them read by an activation × activation MatMul (attention's QKᵀ and PV, TensorRT
 *                    placement): calibrated by minmax whatever the method, since clipping attention probabilities
 *                    or queries/keys wrecked stories260K (top-1 agreement 43.8% with entropy)
 * @param weights     the linear layers whose weights are quantized per output channel
 * @param skipped     candidates left float, with reasons
 */
public record QdqPlacement(List<String> activations, Set<String> products, List<LinearSite> weights,
                           List<Skipped> skipped) {

    public QdqPlacement {
        activations = List.copyOf(activations);
        products = Set.copyOf(products);
        weights = List.copyOf(weights);
        skipped = List.copyOf(skipped);
    }

    /** The placement for {@code g}; fails when nothing in it can be quantized. */
    public static QdqPlacement of(Graph g, QuantSettings s, String modelLabel) {
        List<LinearSite> weights = new ArrayList<>();
        List<Skipped> skipped = new ArrayList<>();
        Set<Node> weighted = new java.util.HashSet<>();
        Set<Value> linearOutputs = new java.util.HashSet<>();
        for (LinearSite site : usableSites(g, s, skipped, modelLabel)) {
            weights.add(site);
            weighted.add(site.node());
            linearOutputs.add(site.output());
        }
        Set<String> acts = new LinkedHashSet<>();
        Set<String> products = new java.util.HashSet<>();
        for (Node n : g.nodes()) {
            boolean linear = n.is("MatMul") || n.is("Gemm");
            if (linear && weighted.contains(n)) {
                addActivation(acts, n.input(0));
            } else if (linear && s.target() == QuantTarget.TENSORRT && !n.is("Gemm")) {
                activationProduct(n, s, acts, skipped, products);
            } else if (n.is("Add") && s.target() == QuantTarget.TENSORRT) {
                residualInput(n, s, linearOutputs).ifPresent(v -> addActivation(acts, v));
            }
        }
        return new QdqPlacement(new ArrayList<>(acts), products, weights, skipped);
    }

    /** The linear layers with usable weights, excluded and tied ones recorded; none at all is an error. */
    static List<LinearSite> usableSites(Graph g, QuantSettings s, List<Skipped> skipped, String modelLabel) {
        LinearMatcher.Matches m = LinearMatcher.find(g);
        List<LinearSite> out = new ArrayList<>();
        for (LinearSite site : m.sites()) {
            if (s.excluded(site.module()) || s.excluded(site.node().name())) {
                skipped.add(new Skipped(site.module(), "matches --exclude"));
            } else if (site.tiedToEmbedding()) {
                skipped.add(new Skipped(site.module(), "its weight is tied to the embedding (a Gather reads it "
                        + "too); left float"));
            } else {
                out.add(site);
            }
        }
        m.skipped().forEach(c -> skipped.add(new Skipped(c.module(), c.reason())));
        if (out.isEmpty()) {
            throw new IllegalArgumentException(modelLabel + ": nothing to quantize: no MatMul/Gemm with a constant "
                    + "2-D float weight" + (m.sites().isEmpty() ? "" : " that is not excluded or tied ("
                    + skipped + ")") + "; nothing written");
        }
        return out;
    }

    private static void activationProduct(Node n, QuantSettings s, Set<String> acts, List<Skipped> skipped,
                                          Set<String> products) {
        if (n.inputCount() < 2 || !isActivation(n.input(0)) || !isActivation(n.input(1))) {
            return;
        }
        if (s.excluded(n.name())) {
            skipped.add(new Skipped(n.name(), "matches --exclude"));
            return;
        }
        addActivation(acts, n.input(0));
        addActivation(acts, n.input(1));
        products.add(n.input(0).name());
        products.add(n.input(1).name());
    }

    /**
     * The skip branch of {@code Add(a, b)}: the other input when one input is a quantized linear layer's output
     * (bias included), the Add TensorRT fuses into that layer's epilogue. Other Adds (masks, rotary embeddings)
     * stay float.
     */
    private static java.util.Optional<Value> residualInput(Node add, QuantSettings s, Set<Value> linearOutputs) {
        if (add.inputCount() != 2 || s.excluded(add.name())) {
            return java.util.Optional.empty();
        }
        Value a = add.input(0);
        Value b = add.input(1);
        if (!isActivation(a) || !isActivation(b) || linearOutputs.contains(a) == linearOutputs.contains(b)) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(linearOutputs.contains(a) ? b : a);
    }

    static boolean isActivation(Value v) {
        return v != null && !v.isInitializer() && v.constant() == null
                && (v.dtype() == null || v.dtype() == io.ortune.graph.ir.DataType.FLOAT)
                && (v.producer() == null || !v.producer().is("Constant"));
    }

    private static void addActivation(Set<String> acts, Value v) {
        if (isActivation(v)) {
            acts.add(v.name());
        }
    }
}
