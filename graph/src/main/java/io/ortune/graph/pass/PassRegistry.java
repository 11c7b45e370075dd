package io.ortune.graph.pass;

import io.ortune.graph.peft.DoraPass;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.StripTrainingOnlyPass;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * Passes by CLI name. {@link #builtIn()} holds the graph module's passes; other modules extend it with
 * {@link #with} (registries are immutable). Asking for an unknown name fails listing the known ones.
 */
public final class PassRegistry {

    /** One registered pass. */
    public record Entry(String name, String description, Supplier<Pass> factory) { }

    private static final PassRegistry BUILT_IN = new PassRegistry(Map.of())
            .with(DeadCodeEliminationPass.NAME, "remove nodes no output depends on, and unread initializers",
                    DeadCodeEliminationPass::new)
            .with(ConstantFoldingPass.NAME, "evaluate shape computations on constants into Constant nodes",
                    ConstantFoldingPass::new)
            .with(TopologicalSortPass.NAME, "order nodes topologically (stable)", TopologicalSortPass::new)
            .with(ValidationPass.NAME, "fail when the model is invalid, listing every problem", ValidationPass::new)
            .with(IdentityEliminationPass.NAME, "bypass and remove Identity nodes", IdentityEliminationPass::new)
            .with(ShapeInferencePass.NAME, "fill in missing output types of known ops", ShapeInferencePass::new)
            .with(LegacyOpsetUpgradePass.NAME, "lift a default-domain opset 1..6 model to opset 7 (oldest ONNX "
                    + "Runtime runs)", LegacyOpsetUpgradePass::new)
            .with(Opset13UpgradePass.NAME, "lift an opset 11/12 export to opset 13 (where ortune's builder and PEFT "
                    + "rewrites start)", Opset13UpgradePass::new)
            .with(LoraPass.NAME, "inject a LoRA adapter (PEFT defaults on all-linear; configure with new "
                    + "LoraPass(LoraConfig))", LoraPass::new)
            .with(DoraPass.NAME, "inject a DoRA adapter (PEFT defaults on all-linear; configure with new "
                    + "DoraPass(LoraConfig))", DoraPass::new)
            .with(StripTrainingOnlyPass.NAME, "remove training-only nodes (LoRA dropout) for inference",
                    StripTrainingOnlyPass::new);

    private final Map<String, Entry> entries;

    private PassRegistry(Map<String, Entry> entries) {
        this.entries = Collections.unmodifiableMap(new TreeMap<>(entries));
    }

    /**
     * The passes of the graph module: dce, dora, fold-constants, identity-elimination, infer-shapes, lora,
     * strip-training-only, toposort, upgrade-opset, upgrade-opset-13, validate.
     */
    public static PassRegistry builtIn() {
        return BUILT_IN;
    }

    /** A registry with no passes. */
    public static PassRegistry empty() {
        return new PassRegistry(Map.of());
    }

    /** This registry plus one pass; the name must be new. */
    public PassRegistry with(String name, String description, Supplier<Pass> factory) {
        if (entries.containsKey(name)) {
            throw new IllegalArgumentException("a pass named '" + name + "' is already registered");
        }
        Map<String, Entry> m = new LinkedHashMap<>(entries);
        m.put(name, new Entry(name, description, factory));
        return new PassRegistry(m);
    }

    /** Registered names, sorted. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    public String description(String name) {
        return entry(name).description();
    }

    /** A new instance of the pass named {@code name}. */
    public Pass create(String name) {
        return entry(name).factory().get();
    }

    /** A pipeline of the named passes, in order. */
    public Pipeline pipeline(List<String> names) {
        List<Pass> passes = new ArrayList<>();
        for (String n : names) {
            passes.add(create(n));
        }
        return Pipeline.of(passes);
    }

    private Entry entry(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            String hint = closest(name);
            throw new IllegalArgumentException("unknown pass '" + name + "'" + (hint == null ? ""
                    : " (did you mean '" + hint + "'?)") + "; known passes: " + String.join(", ", names()));
        }
        return e;
    }

    /** The known name within edit distance 2 of {@code name}, if one is closest. */
    private String closest(String name) {
        String best = null;
        int bestDistance = 3;
        for (String known : entries.keySet()) {
            int d = distance(name, known);
            if (d < bestDistance) {
                best = known;
                bestDistance = d;
            }
        }
        return best;
    }

    private static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
