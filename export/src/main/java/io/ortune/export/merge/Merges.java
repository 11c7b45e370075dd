package io.ortune.export.merge;

import io.ortune.graph.analysis.GraphCopier;
import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.AdapterForms;
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
 * A QLoRA model (NF4 {@code MatMulBnb4} layers) is dequantized first and folded into exactly the weights it was
 * trained against; {@link #mergeAndUnload(Model, Model)} folds into the original float base instead.
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
        Model m = Nf4Dequantize.isNf4(model) ? Nf4Dequantize.dequantize(model) : GraphCopier.copy(model);
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

    /**
     * QLoRA merged into the original full-precision base instead of the dequantized NF4 weights it was trained
     * against: {@code qlora}'s adapters carried onto {@code fpBase} (same modules, ranks, values), then folded. The
     * difference to {@link #mergeAndUnload(Model)} of {@code qlora} is the known train/inference mismatch of merging
     * QLoRA adapters; measure it with {@link OutputDifference#of}.
     *
     * @throws MergeException when {@code fpBase} is not the float model {@code qlora} was quantized from (a shared
     *                        tensor or an NF4 weight with other dims, or missing)
     */
    public static MergeResult mergeAndUnload(Model qlora, Model fpBase) {
        requireAdapters(qlora);
        QloraBase.requireBaseOf(qlora, fpBase);
        return mergeAndUnload(AdapterForms.transfer(qlora, fpBase));
    }

    /**
     * Combines the adapters {@code o} names on their task vectors (each at gate 1, weighted by {@code o.weights()})
     * and folds the result into the weights of a copy of {@code model}; those adapters are removed, others stay.
     *
     * @throws MergeException when an adapter is missing or cannot be folded (the reason), or the options do not fit
     */
    public static MergeResult combine(Model model, CombineOptions o) {
        requireAdapters(model);
        Model m = Nf4Dequantize.isNf4(model) ? Nf4Dequantize.dequantize(model) : GraphCopier.copy(model);
        Combiner.Sources s = Combiner.sources(m, o);
        Map<String, List<TaskDelta>> byModule = new LinkedHashMap<>();
        Combiner.combine(s, o).forEach((module, d) -> byModule.put(module, List.of(d)));
        double max = Unload.apply(m.graph(), s.sites(), byModule);
        Unload.remove(m, s.joins(), s.adapters());
        return new MergeResult(m, new MergeReport(o.adapters(), List.copyOf(byModule.keySet()), Map.of(), max,
                o.describe()));
    }

    /**
     * The combination as one new LoRA adapter {@code adapterName} on a copy of {@code model} with the sources unloaded
     * (not folded): per module the SVD of the combined ΔW at {@code o.svdRank()} (0: the largest source rank), or
     * for {@code cat} the stacked factors (exact). Extract it with
     * {@link io.ortune.export.adapter.PeftAdapters#extractTo}, or use {@link #writeAdapter}.
     */
    public static MergeResult toAdapter(Model model, CombineOptions o, String adapterName) {
        requireAdapters(model);
        Model m = Nf4Dequantize.isNf4(model) ? Nf4Dequantize.dequantize(model) : GraphCopier.copy(model);
        return CombinedAdapter.build(m, Combiner.sources(m, o), o, adapterName);
    }

    /**
     * {@link #toAdapter} written as a PEFT folder into {@code dir} (checked and atomic: nothing is written when a
     * check fails).
     */
    public static MergeResult writeAdapter(Model model, CombineOptions o, java.nio.file.Path dir)
            throws java.io.IOException {
        String name = "combined";
        while (PeftMetadata.adapter(model, name).isPresent()) {
            name = name + "_";
        }
        MergeResult r = toAdapter(model, o, name);
        io.ortune.export.adapter.PeftAdapters.extractTo(r.model(), name, dir);
        return r;
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
