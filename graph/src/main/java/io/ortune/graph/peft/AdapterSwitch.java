package io.ortune.graph.peft;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Switches between the LoRA/DoRA adapters injected into one base model by setting their gates only: each adapter
 * has one scalar initializer {@code lora_gate.<adapter>} that multiplies its whole contribution (LoRA:
 * {@code lora · scaling · gate}; DoRA: the whole magnitude-and-direction term), so a gate of 0 turns an adapter
 * off exactly and 1 gives PEFT's output. No node changes and no base weight is rebuilt. An adapter initialised
 * with PiSSA or OLoRA rewrote its base weights to the residual, so turning it off gives the residual model, not
 * the original one (as in PEFT).
 *
 * <p>Recorded in the metadata: {@link PeftMetadata#ACTIVE} lists the adapters whose gate is not 0 (adapters of
 * other methods, which have no gate, keep their entry), and
 * {@value #WEIGHTS} holds {@code name=weight,...} after {@link #weighted}. {@link #withRuntimeGates} also lists
 * the gates as graph inputs (each keeping its initializer as the default), so a runtime can feed or override
 * them per run (ONNX Runtime's LoRA adapter files replace exactly such inputs). Training artifacts treat graph
 * inputs as user inputs, so train on the model without them.
 */
public final class AdapterSwitch {

    /** Model metadata key holding the gates after {@link #weighted}: {@code a=0.7,b=0.3}. */
    public static final String WEIGHTS = "ortune.peft.weights";
    private static final String GATE_PREFIX = "lora_gate.";

    private AdapterSwitch() {
    }

    /** The gate initializer's name of adapter {@code adapter}. */
    public static String gateName(String adapter) {
        return GATE_PREFIX + adapter;
    }

    /** A copy of {@code model} in which only {@code adapter} is on (gate 1, every other gate 0). */
    public static Model activate(Model model, String adapter) {
        Map<String, Double> w = new LinkedHashMap<>();
        w.put(adapter, 1.0);
        Model out = setGates(model, w);
        out.metadataProps().remove(WEIGHTS);
        return out;
    }

    /** A copy of {@code model} in which every adapter is off: the base model's outputs. */
    public static Model deactivateAll(Model model) {
        Model out = setGates(model, Map.of());
        out.metadataProps().remove(WEIGHTS);
        return out;
    }

    /**
     * A copy of {@code model} whose adapters contribute with the given weights (gates); adapters not named get 0.
     * A weight of 1 is the adapter's PEFT output; the contributions add up. {@value #WEIGHTS} lists them in
     * injection order.
     */
    public static Model weighted(Model model, Map<String, Double> weights) {
        Model out = setGates(model, weights);
        List<String> parts = new ArrayList<>();
        for (AdapterInfo a : gated(model)) {
            Double w = weights.get(a.name());
            if (w != null) {
                parts.add(a.name() + "=" + PeftConfigs.num(w));
            }
        }
        out.metadataProps().put(WEIGHTS, String.join(",", parts));
        return out;
    }

    /** The current gate of every LoRA/DoRA adapter, by name. */
    public static Map<String, Double> gates(Model model) {
        Map<String, Double> out = new LinkedHashMap<>();
        for (AdapterInfo a : gated(model)) {
            out.put(a.name(), LoraFactors.values(gate(model.graph(), a.name()).constant())[0]);
        }
        return out;
    }

    /** A copy of {@code model} whose adapter gates are also graph inputs, defaulting to their initializers. */
    public static Model withRuntimeGates(Model model) {
        Model out = GraphCopier.copy(model);
        Graph g = out.graph();
        for (AdapterInfo a : gated(out)) {
            Value gate = gate(g, a.name());
            if (!g.inputs().contains(gate)) {
                g.addInput(gate);
            }
        }
        if (out.irVersion() < 4) {
            out.setIrVersion(4);
        }
        return out;
    }

    /** Called by the injector: a new adapter starts with gate 1 (so {@link #WEIGHTS}, if present, gets it). */
    static void recordNewGate(Model model, String adapter) {
        String w = model.metadataProps().get(WEIGHTS);
        if (w != null) {
            model.metadataProps().put(WEIGHTS, w.isEmpty() ? adapter + "=1" : w + "," + adapter + "=1");
        }
    }

    private static Model setGates(Model model, Map<String, Double> weights) {
        List<AdapterInfo> adapters = gated(model);
        List<String> known = adapters.stream().map(AdapterInfo::name).toList();
        for (Map.Entry<String, Double> e : weights.entrySet()) {
            if (!known.contains(e.getKey())) {
                throw new IllegalArgumentException("no LoRA/DoRA adapter named '" + e.getKey() + "'; the model has "
                        + known);
            }
            if (e.getValue() == null || !Double.isFinite(e.getValue())) {
                throw new IllegalArgumentException("adapter '" + e.getKey() + "': weight must be a finite number, got "
                        + e.getValue());
            }
        }
        Model out = GraphCopier.copy(model);
        Graph g = out.graph();
        List<String> active = new ArrayList<>(PeftMetadata.activeAdapters(model));
        active.removeAll(known);
        for (AdapterInfo a : adapters) {
            double w = weights.getOrDefault(a.name(), 0.0);
            Value gate = gate(g, a.name());
            DataType dt = gate.constant().dtype();
            g.setInitializerTensor(gate, LoraFactors.tensor(gate.name(), dt, new long[0], new double[] {w}));
            if (w != 0) {
                active.add(a.name());
            }
        }
        PeftMetadata.setActiveAdapters(out, active);
        return out;
    }

    private static List<AdapterInfo> gated(Model model) {
        List<AdapterInfo> out = new ArrayList<>();
        for (AdapterInfo a : PeftMetadata.adapters(model)) {
            if (a.method() == PeftMethod.LORA || a.method() == PeftMethod.DORA) {
                out.add(a);
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("the model has no LoRA or DoRA adapter to switch (adapters: "
                    + PeftMetadata.adapters(model).stream().map(a -> a.name() + " (" + a.method().cliName().toLowerCase(
                    Locale.ROOT) + ")").toList() + ")");
        }
        return out;
    }

    private static Value gate(Graph g, String adapter) {
        Value v = g.initializer(gateName(adapter));
        if (v == null) {
            throw new IllegalArgumentException("adapter '" + adapter + "' has no gate initializer '"
                    + gateName(adapter) + "' in graph '" + g.name() + "' (was it injected by LoraPass/DoraPass?)");
        }
        return v;
    }
}
