package io.ortune.export.merge;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.DenseLinalg;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.TargetSpec;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A combination written as one new LoRA adapter on the base (the sources unloaded, not folded): per module the
 * factors B = U·S, A = Vᵀ of the combined ΔW's SVD at rank {@code --svd-rank} (or the largest source rank), or for
 * {@code cat} the sources' own factors stacked (Bᵢ scaled by wᵢ·sᵢ; exact, rank Σrᵢ). Each module's
 * {@code lora_alpha} equals its rank, so PEFT's scaling is 1 and s·B·A is the combined ΔW (up to the truncation).
 */
final class CombinedAdapter {

    private static final String PEFT_PREFIX = "base_model.model.";

    /** Factors of one module: B [out, r], A [r, in]. */
    private record Factors(int r, double[] b, double[] a) { }

    private CombinedAdapter() {
    }

    static MergeResult build(Model m, Combiner.Sources s, CombineOptions o, String name) {
        Map<String, TaskDelta> combined = Combiner.combine(s, o);
        Map<String, Factors> factors = new LinkedHashMap<>();
        double worst = 0;
        double maxDelta = 0;
        for (TaskDelta d : combined.values()) {
            requireNoBias(s, d);
            Factors f = o.combination() == Combination.CAT ? stacked(m, s, o, d.module()) : svd(s, o, d);
            double[] ba = Dense.times(f.b(), f.a(), d.out(), f.r(), d.in());
            for (int i = 0; i < ba.length; i++) {
                worst = Math.max(worst, Math.abs(ba[i] - d.weight()[i]));
                maxDelta = Math.max(maxDelta, Math.abs(ba[i]));
            }
            factors.put(d.module(), f);
        }
        Unload.remove(m, s.joins(), s.adapters());
        Map<String, Integer> ranks = new LinkedHashMap<>();
        Map<String, Double> alphas = new LinkedHashMap<>();
        StringBuilder re = new StringBuilder(TargetSpec.REGEX_PREFIX);
        for (Map.Entry<String, Factors> e : factors.entrySet()) {
            String key = Pattern.quote(e.getKey());
            re.append(ranks.isEmpty() ? "" : "|").append(key);
            ranks.put(key, e.getValue().r());
            alphas.put(key, (double) e.getValue().r());
        }
        int r0 = factors.values().iterator().next().r();
        LoraConfig cfg = LoraConfig.of(re.toString()).withR(r0).withAlpha(r0).withRankPattern(ranks)
                .withAlphaPattern(alphas).withAdapterName(name);
        Model out = new LoraPass(cfg).inject(m).model();
        Graph g = out.graph();
        for (Map.Entry<String, Factors> e : factors.entrySet()) {
            Factors f = e.getValue();
            set(g, e.getKey() + ".lora_A." + name + ".weight", f.a());
            set(g, e.getKey() + ".lora_B." + name + ".weight", f.b());
        }
        String detail = String.format(Locale.ROOT, "%s, as adapter '%s' of rank %s, max |combined dW - s*B*A| = %.3g",
                o.describe(), name, new java.util.LinkedHashSet<>(ranks.values()), worst);
        return new MergeResult(out, new MergeReport(o.adapters(), List.copyOf(factors.keySet()), Map.of(), maxDelta,
                detail));
    }

    private static void requireNoBias(Combiner.Sources s, TaskDelta d) {
        if (d.bias() == null) {
            return;
        }
        for (double v : d.bias()) {
            if (v != 0) {
                throw new MergeException("module '" + d.module() + "': the combination changes its bias (an IA3 "
                        + "output scale), which a LoRA adapter cannot express; merge into the model instead "
                        + "(without --to-adapter)");
            }
        }
    }

    private static Factors svd(Combiner.Sources s, CombineOptions o, TaskDelta d) {
        int r = o.svdRank();
        if (r == 0) {
            for (TaskDelta t : s.tasks().get(d.module())) {
                if (t != null) {
                    r = Math.max(r, sourceRank(s, t));
                }
            }
        }
        r = Math.min(r, Math.min(d.out(), d.in()));
        DenseLinalg.Svd svd = DenseLinalg.topSvd(d.weight(), d.out(), d.in(), r, o.seed());
        return new Factors(r, Combiner.scaledU(svd), svd.vt());
    }

    private static int sourceRank(Combiner.Sources s, TaskDelta t) {
        for (Join j : s.joins()) {
            if (j.module().equals(t.module()) && j.adapter().name().equals(t.adapter())) {
                if (j.kind() != Join.Kind.DELTA) {
                    throw new MergeException("adapter '" + t.adapter() + "' (ia3) has no rank; give --svd-rank R "
                            + "for the adapter --to-adapter writes");
                }
                String a = j.adapter().tensors().get(PEFT_PREFIX + t.module() + ".lora_A.weight");
                return Math.toIntExact(j.site().node().graph().initializer(a).constant().dims()[0]);
            }
        }
        throw new IllegalStateException("no join for " + t.module() + " of " + t.adapter());
    }

    /** cat: [w₁s₁B₁ | w₂s₂B₂ | …] and [A₁; A₂; …] over the adapters that touch the module. */
    private static Factors stacked(Model m, Combiner.Sources s, CombineOptions o, String module) {
        List<double[]> bs = new ArrayList<>();
        List<double[]> as = new ArrayList<>();
        List<Integer> rs = new ArrayList<>();
        LinearSite site = s.sites().get(module);
        int out = Math.toIntExact(site.outFeatures());
        int in = Math.toIntExact(site.inFeatures());
        for (int i = 0; i < s.adapters().size(); i++) {
            AdapterInfo a = s.adapters().get(i);
            if (s.tasks().get(module)[i] == null) {
                continue;
            }
            if (a.method() != PeftMethod.LORA) {
                throw new MergeException("--combination cat stacks LoRA factors, but adapter '" + a.name() + "' is "
                        + a.method().cliName() + " (its change is not B·A); use svd, linear or ties");
            }
            double[] av = values(m, a.tensors().get(PEFT_PREFIX + module + ".lora_A.weight"));
            double[] bv = values(m, a.tensors().get(PEFT_PREFIX + module + ".lora_B.weight"));
            double sc = values(m, module + ".lora_scaling." + a.name())[0] * o.weights().get(i);
            for (int k = 0; k < bv.length; k++) {
                bv[k] *= sc;
            }
            bs.add(bv);
            as.add(av);
            rs.add(av.length / in);
        }
        int r = rs.stream().mapToInt(Integer::intValue).sum();
        double[] b = new double[out * r];
        double[] a = new double[r * in];
        int offset = 0;
        for (int k = 0; k < rs.size(); k++) {
            int rk = rs.get(k);
            for (int row = 0; row < out; row++) {
                System.arraycopy(bs.get(k), row * rk, b, row * r + offset, rk);
            }
            System.arraycopy(as.get(k), 0, a, offset * in, rk * in);
            offset += rk;
        }
        return new Factors(r, b, a);
    }

    private static double[] values(Model m, String name) {
        Value v = m.graph().initializer(name);
        if (v == null || v.constant() == null) {
            throw new MergeException("tensor '" + name + "' is missing from graph '" + m.graph().name() + "'");
        }
        return Dense.values(v.constant());
    }

    private static void set(Graph g, String name, double[] v) {
        Value init = g.initializer(name);
        Tensor like = init.constant();
        g.setInitializerTensor(init, Dense.tensor(like, v));
    }
}
