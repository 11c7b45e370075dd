package io.ortune.export.merge;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.PeftMetadata;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Folding adapters into the base weights (PEFT's {@code merge_and_unload}) and combining several adapters on their
 * task vectors ΔWᵢ (PEFT's {@code add_weighted_adapter}, without its factor-mixing cross terms).
 *
 * <pre>{@code
 * MergeResult r = Merges.mergeAndUnload(PeftAdapters.attach(base, Path.of("my-lora"), "default").model());
 * System.out.println(r.report().summary());    // merged [default] (fold) into 24 modules, max |dW| = 0.0131
 * MergeResult ties = Merges.combine(twoAdapters, CombineOptions.of(Combination.TIES, List.of("a", "b"),
 *         List.of(0.7, 0.3)).withDensity(0.5));
 * }</pre>
 *
 * LoRA, rsLoRA, DoRA and IA3 fold exactly (linear algebra); bottleneck adapters (a nonlinearity between two
 * projections) and prompt/prefix tuning (extra positions, not weights) are reported as refused and stay in the graph.
 * The merged model is shaped like the base: the adapter nodes, tensors, gates and metadata are gone, and the folded
 * weights are computed in float64 and rounded once to the stored type.
 */
public final class Merges {

    private Merges() {
    }

    /**
     * Folds every adapter that can be folded (LoRA, rsLoRA, DoRA, IA3; each LoRA/DoRA scaled by its gate) into the
     * weights of a copy of {@code model} and removes it.
     *
     * @throws MergeException when the model has no adapter at all
     */
    public static MergeResult mergeAndUnload(Model model) {
        requireAdapters(model);
        Model m = GraphCopier.copy(model);
        AdapterJoins.Located found = AdapterJoins.locate(m);
        Map<String, List<TaskDelta>> byModule = new LinkedHashMap<>();
        Map<String, LinearSite> sites = new LinkedHashMap<>();
        Set<String> folded = new LinkedHashSet<>();
        for (Join j : found.joins()) {
            double gate = Folds.gate(m, j.adapter());
            byModule.computeIfAbsent(j.module(), k -> new ArrayList<>()).add(Folds.delta(m, j, gate));
            sites.put(j.module(), j.site());
            folded.add(j.adapter().name());
        }
        List<AdapterInfo> adapters = adapters(m, folded);
        double max = Unload.apply(m.graph(), sites, byModule);
        Unload.remove(m, found.joins(), adapters);
        return new MergeResult(m, new MergeReport(List.copyOf(folded), List.copyOf(byModule.keySet()),
                found.refused(), max, "fold"));
    }

    static void requireAdapters(Model model) {
        if (PeftMetadata.adapters(model).isEmpty()) {
            throw new MergeException("model '" + model.graph().name() + "' records no adapter (no "
                    + PeftMetadata.ADAPTERS + " metadata); attach one first (ortune merge BASE.onnx --adapter DIR)");
        }
    }

    static List<AdapterInfo> adapters(Model m, Set<String> names) {
        List<AdapterInfo> out = new ArrayList<>();
        for (AdapterInfo a : PeftMetadata.adapters(m)) {
            if (names.contains(a.name())) {
                out.add(a);
            }
        }
        return out;
    }
}
