package io.ortune.export.merge;

import io.ortune.graph.analysis.DeadCodeElimination;
import io.ortune.graph.analysis.TopologicalSort;
import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Node;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.AdapterSwitch;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.PeftMetadata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Removes adapters from a model in place: every join bypassed (its input 0 takes its place; a graph output gets its
 * name back), the adapter nodes and tensors then dead and removed, runtime gate inputs dropped, new weights written
 * (rounded once to the stored type) and the adapters' records cleared from the metadata.
 */
final class Unload {

    private Unload() {
    }

    /** Bypasses {@code joins} and removes the dead adapter nodes and tensors of {@code adapters}. */
    static void remove(Model m, List<Join> joins, Collection<AdapterInfo> adapters) {
        Graph g = m.graph();
        for (Join j : joins) {
            bypass(g, j.node());
        }
        Set<String> owned = new HashSet<>();
        for (AdapterInfo a : adapters) {
            owned.addAll(AdapterJoins.ownedTensors(m, a));
        }
        DeadCodeElimination.run(g);
        for (Value in : List.copyOf(g.inputs())) {
            if (owned.contains(in.name()) && in.uses().isEmpty()) {
                g.removeInput(in);
                if (g.initializer(in.name()) == in) {
                    g.removeInitializer(in);
                }
            }
        }
        TopologicalSort.sort(g);
        forget(m, adapters, owned);
    }

    /** Writes {@code w} ([out, in], float64) and {@code bias} (or null) into the site's initializers. */
    static void write(Graph g, LinearSite s, double[] w, double[] bias) {
        int out = Math.toIntExact(s.outFeatures());
        int in = Math.toIntExact(s.inFeatures());
        g.setInitializerTensor(s.weight(), Dense.tensor(s.weight().constant(), Dense.stored(w, s.layout(), out, in)));
        if (bias != null) {
            g.setInitializerTensor(s.bias(), Dense.tensor(s.bias().constant(), bias));
        }
    }

    private static void bypass(Graph g, Node n) {
        Value out = n.output();
        Value keep = n.input(0);
        for (Value.Use u : List.copyOf(out.uses())) {
            u.node().setInput(u.inputIndex(), keep);
        }
        int index = g.outputs().indexOf(out);
        if (index >= 0) {
            String name = out.name();
            out.setName(name + ".merged_away");
            keep.setName(name);
            g.replaceOutput(index, keep);
        }
    }

    private static void forget(Model m, Collection<AdapterInfo> adapters, Set<String> owned) {
        List<String> active = new ArrayList<>(PeftMetadata.activeAdapters(m));
        for (AdapterInfo a : adapters) {
            PeftMetadata.removeAdapter(m, a.name());
            active.remove(a.name());
        }
        if (PeftMetadata.adapters(m).isEmpty()) {
            PeftMetadata.clearAll(m);
            return;
        }
        PeftMetadata.setActiveAdapters(m, active);
        PeftMetadata.trainable(m).ifPresent(t -> {
            Set<String> left = new java.util.LinkedHashSet<>(t);
            left.removeAll(owned);
            PeftMetadata.setTrainable(m, left);
        });
        String weights = m.metadataProps().get(AdapterSwitch.WEIGHTS);
        if (weights != null) {
            Set<String> gone = new HashSet<>();
            adapters.forEach(a -> gone.add(a.name()));
            List<String> kept = new ArrayList<>();
            for (String part : weights.split(",")) {
                if (!part.isEmpty() && !gone.contains(part.substring(0, Math.max(0, part.indexOf('='))))) {
                    kept.add(part);
                }
            }
            m.metadataProps().put(AdapterSwitch.WEIGHTS, String.join(",", kept));
        }
    }

    /** Adds the weight and bias changes per module to the base values; returns the largest |change|. */
    static double apply(Graph g, Map<String, LinearSite> sites, Map<String, List<TaskDelta>> byModule) {
        double max = 0;
        for (Map.Entry<String, List<TaskDelta>> e : byModule.entrySet()) {
            LinearSite s = sites.get(e.getKey());
            int out = Math.toIntExact(s.outFeatures());
            int in = Math.toIntExact(s.inFeatures());
            double[] dw = new double[out * in];
            double[] db = new double[out];
            boolean biasChanged = false;
            for (TaskDelta d : e.getValue()) {
                add(dw, d.weight());
                if (d.bias() != null && s.bias() != null) {
                    biasChanged = true;
                    add(db, d.bias());
                }
            }
            double[] w = Dense.outIn(s.weight().constant(), s.layout(), out, in);
            max = Math.max(max, add(w, dw));
            double[] b = null;
            if (biasChanged) {
                b = Dense.values(s.bias().constant());
                max = Math.max(max, add(b, db));
            }
            write(g, s, w, b);
        }
        return max;
    }

    /** {@code x += d}; returns max |d|. */
    private static double add(double[] x, double[] d) {
        double max = 0;
        for (int i = 0; i < x.length; i++) {
            x[i] += d[i];
            max = Math.max(max, Math.abs(d[i]));
        }
        return max;
    }
}
