package io.ortune.export.adapter;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.ModulePaths;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.TargetSpec;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checks an adapter on its own (keys the method stores, complete modules, ranks) and against a base model (every
 * key names a module the base has and the config selects, every selected module has its keys, every shape fits the
 * module's in/out features). Each collects all problems and fails with one {@link AdapterException}.
 */
public final class AdapterChecks {

    private static final int MAX_ISSUES = 20;

    /**
     * The base's linear layers an adapter applies to, in graph order.
     *
     * @param sites the selected sites by module path
     */
    public record Fit(Map<String, LinearSite> sites) {
        public Fit {
            sites = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(sites));
        }
    }

    private AdapterChecks() {
    }

    /** Checks {@code a} alone: keys, dtypes, complete modules, ranks against {@code r}/{@code rank_pattern}. */
    public static void selfConsistent(PeftAdapter a, String source) {
        List<String> issues = new ArrayList<>();
        PeftMethod method = a.method();
        List<AdapterKeys.Part> parts = AdapterKeys.parts(method);
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            String key = e.getKey();
            Tensor t = e.getValue();
            if (!t.dtype().isFloatingPoint()) {
                issues.add("key '" + key + "': dtype " + t.dtype().onnxName() + ", expected a floating-point type");
            }
            if (parts.isEmpty()) {
                if (!key.equals(AdapterKeys.PROMPT_EMBEDDINGS)) {
                    issues.add("key '" + key + "': not a " + a.config().peftType() + " tensor");
                }
                continue;
            }
            Optional<AdapterKeys.Key> k = AdapterKeys.parse(key);
            if (k.isEmpty() || !parts.contains(k.get().part())) {
                issues.add("key '" + key + "': not a " + method.cliName() + " tensor (expected "
                        + AdapterKeys.PREFIX + "<module>" + parts.stream().map(AdapterKeys.Part::suffix).toList()
                        + ")");
                continue;
            }
            String module = k.get().module();
            for (AdapterKeys.Part p : parts) {
                if (!a.tensors().containsKey(AdapterKeys.key(module, p)) && k.get().part() == parts.get(0)) {
                    issues.add("missing key '" + AdapterKeys.key(module, p) + "' (module '" + module + "' has "
                            + key + ")");
                }
            }
            int rank = a.config().rankOf(module);
            long[] d = t.dims();
            if (k.get().part() == AdapterKeys.Part.LORA_A && (d.length != 2 || d[0] != rank)) {
                issues.add("key '" + key + "': expected shape [" + rank + ", in_features] (r of '" + module + "' is "
                        + rank + "), found " + Arrays.toString(d));
            } else if (k.get().part() == AdapterKeys.Part.LORA_B && (d.length != 2 || d[1] != rank)) {
                issues.add("key '" + key + "': expected shape [out_features, " + rank + "] (r of '" + module + "' is "
                        + rank + "), found " + Arrays.toString(d));
            }
        }
        if (parts.isEmpty() && !a.tensors().containsKey(AdapterKeys.PROMPT_EMBEDDINGS)) {
            issues.add("missing key '" + AdapterKeys.PROMPT_EMBEDDINGS + "'");
        }
        if (!parts.isEmpty() && a.tensors().isEmpty()) {
            issues.add("no tensors: a " + method.cliName() + " adapter has " + AdapterKeys.PREFIX + "<module>"
                    + parts.get(0).suffix() + " keys");
        }
        fail(source, issues);
    }

    /**
     * Checks {@code a} against {@code base} and returns the sites it adapts (empty for methods without modules).
     *
     * @throws AdapterException listing keys for modules the base lacks or the config does not select, missing keys,
     *                          and shapes that do not fit (expected vs found)
     */
    public static Fit againstBase(PeftAdapter a, Model base, String source) {
        List<AdapterKeys.Part> parts = AdapterKeys.parts(a.method());
        if (parts.isEmpty()) {
            return new Fit(Map.of());
        }
        PeftAdapterConfig c = a.config();
        LinearMatcher.Matches matches = LinearMatcher.find(base.graph());
        TargetSpec spec = a.method() == PeftMethod.ADAPTER ? exactly(a.modules()) : c.targets().toTargetSpec();
        TargetSpec.Selection sel = spec.select(matches, c.layers().orElse(null));
        Map<String, LinearSite> selected = new LinkedHashMap<>();
        for (LinearSite s : sel.selected()) {
            selected.put(s.module(), s);
        }
        List<String> issues = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : a.tensors().entrySet()) {
            AdapterKeys.Key k = AdapterKeys.parse(e.getKey()).orElseThrow();
            LinearSite s = selected.get(k.module());
            if (s == null) {
                issues.add(notSelected(e.getKey(), k.module(), matches, sel, c));
                continue;
            }
            long[] want = expectedShape(c, s, k.part());
            long[] got = e.getValue().dims();
            if (!Arrays.equals(want, got)) {
                issues.add("key '" + e.getKey() + "': expected shape " + Arrays.toString(want) + " ("
                        + describe(c, s, k.part()) + "), found " + Arrays.toString(got));
            }
            DataType wt = s.weight().constant().dtype();
            if (e.getValue().dtype() != wt && !AdapterAttach.widens(e.getValue().dtype(), wt)) {
                issues.add("key '" + e.getKey() + "': dtype " + e.getValue().dtype().onnxName() + ", but the base "
                        + "weight '" + s.weight().name() + "' is " + wt.onnxName());
            }
        }
        for (LinearSite s : selected.values()) {
            for (AdapterKeys.Part p : parts) {
                String key = AdapterKeys.key(s.module(), p);
                if (!a.tensors().containsKey(key)) {
                    issues.add("missing key '" + key + "' for module '" + s.module() + "', which target_modules "
                            + c.targets() + " selects (expected shape " + Arrays.toString(expectedShape(c, s, p))
                            + ")");
                }
            }
        }
        fail(source, issues);
        return new Fit(selected);
    }

    /**
     * Bottleneck adapters sit where their keys say: the recorded targets mix attention and feed-forward projection
     * specs, so the modules of the file are selected as they are.
     */
    private static TargetSpec exactly(java.util.Set<String> modules) {
        return TargetSpec.parse(TargetSpec.REGEX_PREFIX + String.join("|", modules.stream()
                .map(java.util.regex.Pattern::quote).toList()));
    }

    /** Bottleneck width: {@code max(1, out / reduction_factor)} (reduction_factor 16 when absent). */
    static long bottleneck(PeftAdapterConfig c, LinearSite s) {
        Object rf = c.other().getOrDefault("reduction_factor", 16);
        long factor = rf instanceof Number n ? n.longValue() : Long.parseLong(rf.toString());
        return Math.max(1, s.outFeatures() / Math.max(1, factor));
    }

    /** The shape PEFT gives {@code part} of site {@code s}. */
    public static long[] expectedShape(PeftAdapterConfig c, LinearSite s, AdapterKeys.Part part) {
        long rank = c.rankOf(s.module());
        return switch (part) {
            case LORA_A -> new long[] {rank, s.inFeatures()};
            case LORA_B -> new long[] {s.outFeatures(), rank};
            case MAGNITUDE -> new long[] {s.outFeatures()};
            case IA3 -> isFeedforward(c, s.module()) ? new long[] {1, s.inFeatures()}
                    : new long[] {s.outFeatures(), 1};
            case ADAPTER_DOWN -> new long[] {bottleneck(c, s), s.outFeatures()};
            case ADAPTER_DOWN_BIAS -> new long[] {bottleneck(c, s)};
            case ADAPTER_UP -> new long[] {s.outFeatures(), bottleneck(c, s)};
            case ADAPTER_UP_BIAS -> new long[] {s.outFeatures()};
        };
    }

    /** IA3: whether {@code module} is one of {@code feedforward_modules} (its input is scaled, not its output). */
    public static boolean isFeedforward(PeftAdapterConfig c, String module) {
        return c.feedforwardModules().stream().anyMatch(f -> ModulePaths.endsWithModule(module, f));
    }

    private static String describe(PeftAdapterConfig c, LinearSite s, AdapterKeys.Part part) {
        return switch (part) {
            case LORA_A -> "r=" + c.rankOf(s.module()) + ", in_features=" + s.inFeatures();
            case LORA_B -> "out_features=" + s.outFeatures() + ", r=" + c.rankOf(s.module());
            case MAGNITUDE -> "out_features=" + s.outFeatures();
            case IA3 -> isFeedforward(c, s.module()) ? "feedforward: 1 x in_features=" + s.inFeatures()
                    : "out_features=" + s.outFeatures() + " x 1";
            case ADAPTER_DOWN, ADAPTER_DOWN_BIAS, ADAPTER_UP, ADAPTER_UP_BIAS -> "hidden=" + s.outFeatures()
                    + ", bottleneck=" + bottleneck(c, s);
        };
    }

    private static String notSelected(String key, String module, LinearMatcher.Matches matches,
                                      TargetSpec.Selection sel, PeftAdapterConfig c) {
        Optional<String> skipped = sel.skipped().stream().filter(s -> s.module().equals(module))
                .map(s -> s.reason()).findFirst();
        if (skipped.isPresent()) {
            return "key '" + key + "': module '" + module + "' cannot be adapted: " + skipped.get();
        }
        if (matches.site(module).isPresent()) {
            return "key '" + key + "': module '" + module + "' is in the base but not selected by target_modules "
                    + c.targets() + (c.layersToTransform().isEmpty() ? "" : " and layers_to_transform "
                    + c.layersToTransform());
        }
        return "key '" + key + "': the base model has no linear module '" + module + "' (an adapter for another "
                + "base model?)";
    }

    static void fail(String source, List<String> issues) {
        if (issues.isEmpty()) {
            return;
        }
        List<String> shown = new ArrayList<>(issues.subList(0, Math.min(MAX_ISSUES, issues.size())));
        if (issues.size() > MAX_ISSUES) {
            shown.add("... and " + (issues.size() - MAX_ISSUES) + " more");
        }
        throw new AdapterException(source, shown);
    }
}
