package io.ortune.export.merge;

import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.DenseLinalg;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.PeftMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Collects the task vectors of the adapters a {@link CombineOptions} names (gate 1: the weights replace the gates)
 * and combines them per module with {@link TaskVectors}; {@code svd} then truncates each module's result.
 */
final class Combiner {

    /**
     * The sources of a combination.
     *
     * @param adapters the named adapters, in option order
     * @param joins    their joins in the model
     * @param sites    module to linear layer
     * @param tasks    module to one task delta per adapter (null where the adapter does not touch the module)
     */
    record Sources(List<AdapterInfo> adapters, List<Join> joins, Map<String, LinearSite> sites,
                   Map<String, TaskDelta[]> tasks) { }

    private Combiner() {
    }

    static Sources sources(Model m, CombineOptions o) {
        o.requireComplete();
        AdapterJoins.Located found = AdapterJoins.locate(m);
        List<AdapterInfo> adapters = new ArrayList<>();
        for (String name : o.adapters()) {
            AdapterInfo a = PeftMetadata.adapter(m, name).orElseThrow(() -> new MergeException("no adapter named '"
                    + name + "' to combine; the model has " + PeftMetadata.adapters(m).stream()
                    .map(AdapterInfo::name).toList()));
            String why = found.refused().get(name);
            if (why != null) {
                throw new MergeException("adapter '" + name + "' cannot be combined: " + why);
            }
            adapters.add(a);
        }
        List<Join> joins = new ArrayList<>();
        Map<String, LinearSite> sites = new LinkedHashMap<>();
        Map<String, TaskDelta[]> tasks = new LinkedHashMap<>();
        for (Join j : found.joins()) {
            int i = o.adapters().indexOf(j.adapter().name());
            if (i < 0) {
                continue;
            }
            joins.add(j);
            sites.put(j.module(), j.site());
            tasks.computeIfAbsent(j.module(), k -> new TaskDelta[adapters.size()])[i] = Folds.delta(m, j, 1.0);
        }
        return new Sources(adapters, joins, sites, tasks);
    }

    /** The combined change per module (weights, and biases where an adapter changes them). */
    static Map<String, TaskDelta> combine(Sources s, CombineOptions o) {
        double[] w = o.weights().stream().mapToDouble(Double::doubleValue).toArray();
        Map<String, TaskDelta> out = new LinkedHashMap<>();
        for (Map.Entry<String, TaskDelta[]> e : s.tasks().entrySet()) {
            String module = e.getKey();
            LinearSite site = s.sites().get(module);
            int rows = Math.toIntExact(site.outFeatures());
            int cols = Math.toIntExact(site.inFeatures());
            TaskDelta[] t = e.getValue();
            List<double[]> weights = new ArrayList<>();
            List<double[]> biases = new ArrayList<>();
            boolean anyBias = false;
            SplittableRandom[] rnd = new SplittableRandom[t.length];
            for (int i = 0; i < t.length; i++) {
                weights.add(t[i] == null ? new double[rows * cols] : t[i].weight());
                boolean hasBias = t[i] != null && t[i].bias() != null;
                anyBias |= hasBias;
                biases.add(hasBias ? t[i].bias() : new double[rows]);
                rnd[i] = new SplittableRandom(o.seed() * 1_000_003L + module.hashCode() * 31L + i);
            }
            double[] dw = TaskVectors.combine(o.combination(), weights, w, o.density(), o.majoritySign(), rnd);
            if (o.combination() == Combination.SVD) {
                dw = truncate(dw, rows, cols, o.svdRank(), o.seed());
            }
            double[] db = anyBias ? TaskVectors.combine(o.combination(), biases, w, o.density(), o.majoritySign(),
                    rnd) : null;
            out.put(module, new TaskDelta(module, String.join("+", o.adapters()), rows, cols, dw, db));
        }
        return out;
    }

    /** The rank-{@code r} SVD reconstruction of an m × n matrix (r capped at min(m, n)). */
    static double[] truncate(double[] a, int m, int n, int r, long seed) {
        DenseLinalg.Svd svd = DenseLinalg.topSvd(a, m, n, Math.min(r, Math.min(m, n)), seed);
        double[] us = scaledU(svd);
        return Dense.times(us, svd.vt(), m, svd.r(), n);
    }

    /** U·diag(S), m × r. */
    static double[] scaledU(DenseLinalg.Svd svd) {
        double[] us = svd.u().clone();
        for (int i = 0; i < svd.m(); i++) {
            for (int k = 0; k < svd.r(); k++) {
                us[i * svd.r() + k] *= svd.s()[k];
            }
        }
        return us;
    }
}
