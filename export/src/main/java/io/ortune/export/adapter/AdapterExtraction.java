package io.ortune.export.adapter;

import io.ortune.graph.ir.Graph;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.peft.AdapterInfo;
import io.ortune.graph.peft.LinearMatcher;
import io.ortune.graph.peft.LinearSite;
import io.ortune.graph.peft.ModulePaths;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.graph.peft.WeightLayout;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Builds a {@link PeftAdapter} from an adapter recorded in a model: its metadata and initializer values. */
final class AdapterExtraction {

    /** Recorded config keys written into adapter_config.json as they are (numbers and booleans typed). */
    private static final List<String> PASSED_THROUGH = List.of("token_dim", "num_transformer_submodules",
            "num_attention_heads", "num_layers", "encoder_hidden_size", "prefix_projection", "prompt_tuning_init",
            "init_ia3_weights", "style", "mh_adapter", "output_adapter", "reduction_factor", "non_linearity",
            "residual_before_ln");

    private AdapterExtraction() {
    }

    static PeftAdapter extract(Model m, String name) {
        AdapterInfo info = PeftMetadata.adapter(m, name).orElseThrow(() -> new AdapterException("model",
                "no adapter named '" + name + "'; the model has " + PeftMetadata.adapters(m).stream()
                        .map(AdapterInfo::name).toList()));
        RecordedConfig rc = new RecordedConfig(info);
        Map<String, Tensor> tensors = tensors(m.graph(), info, rc.source());
        PeftMethod method = info.method();
        boolean lora = method == PeftMethod.LORA || method == PeftMethod.DORA;
        List<String> modules = modules(tensors.keySet());
        PeftAdapterConfig.Targets targets = rc.has("target_modules")
                ? PeftAdapterConfig.Targets.fromSpec(rc.string("target_modules", ""))
                : PeftAdapterConfig.Targets.of(new ArrayList<>(leaves(modules)));
        int r = rc.integer("r", lora ? 8 : 0);
        Map<String, Integer> ranks = new LinkedHashMap<>();
        rc.pattern("rank_pattern").forEach((k, v) -> ranks.put(k, parseInt(rc, "rank_pattern", v)));
        Map<String, Double> alphas = new LinkedHashMap<>();
        rc.pattern("alpha_pattern").forEach((k, v) -> alphas.put(k, parseDouble(rc, "alpha_pattern", v)));
        if (lora) {
            ranksFromTensors(tensors, r, ranks);
        }
        Map<String, Object> other = new LinkedHashMap<>();
        for (String k : PASSED_THROUGH) {
            if (rc.has(k)) {
                other.put(k, typed(rc.string(k, "")));
            }
        }
        if (method == PeftMethod.PREFIX && PrefixCollapse.reparameterized(tensors)) {
            tensors = PrefixCollapse.collapse(tensors, rc.source());
            other.put("prefix_projection", Boolean.FALSE);
            other.remove("encoder_hidden_size");
        }
        boolean fanInFanOut = rc.has("fan_in_fan_out") ? rc.bool("fan_in_fan_out", false)
                : storedInOut(m.graph(), modules);
        return new PeftAdapter(new PeftAdapterConfig(method.peftType(), rc.string("task_type", null),
                rc.string("base_model_name_or_path", null), r, rc.number("lora_alpha", lora ? r : 0),
                rc.number("lora_dropout", 0), targets, fanInFanOut, rc.bool("use_rslora", false),
                method == PeftMethod.DORA, ranks, alphas, rc.layers("layers_to_transform"),
                rc.string("init_lora_weights", "true"), "none", List.of(), rc.list("feedforward_modules"),
                rc.integer("num_virtual_tokens", 0), other), tensors);
    }

    private static Map<String, Tensor> tensors(Graph g, AdapterInfo info, String source) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        List<String> issues = new ArrayList<>();
        info.tensors().forEach((key, init) -> {
            Value v = g.initializer(init);
            if (v == null || v.constant() == null) {
                issues.add("key '" + key + "': initializer '" + init + "' is not in the model");
            } else {
                out.put(key, v.constant().withName(key));
            }
        });
        AdapterChecks.fail(source, issues);
        return out;
    }

    private static List<String> modules(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) {
            AdapterKeys.parse(k).ifPresent(key -> out.add(key.module()));
        }
        return new ArrayList<>(out);
    }

    private static Set<String> leaves(List<String> modules) {
        Set<String> out = new LinkedHashSet<>();
        for (String m : modules) {
            out.add(ModulePaths.leaf(m));
        }
        return out;
    }

    /** Modules whose lora_A rank differs from {@code r} and no pattern explains get a full-path entry. */
    private static void ranksFromTensors(Map<String, Tensor> tensors, int r, Map<String, Integer> ranks) {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            AdapterKeys.parse(e.getKey()).filter(k -> k.part() == AdapterKeys.Part.LORA_A).ifPresent(k -> {
                int rank = (int) e.getValue().dims()[0];
                int recorded = PeftAdapterConfig.patternKey(ranks.keySet(), k.module()).map(ranks::get).orElse(r);
                if (rank != recorded) {
                    ranks.put(k.module(), rank);
                }
            });
        }
    }

    /**
     * PEFT's {@code fan_in_fan_out} when the model does not record it: true when every adapted weight is stored
     * {@code [in, out]} under its checkpoint name (a Conv1D checkpoint such as GPT-2's). An exporter's pre-transposed
     * {@code nn.Linear} weight ({@code onnx::MatMul_12}) is {@code [in, out]} too, but its PyTorch module is a Linear.
     */
    private static boolean storedInOut(Graph g, List<String> modules) {
        if (modules.isEmpty()) {
            return false;
        }
        LinearMatcher.Matches matches = LinearMatcher.find(g);
        for (String m : modules) {
            LinearSite s = matches.site(m).orElse(null);
            if (s == null || s.layout() != WeightLayout.IN_OUT || ModulePaths.fromWeightName(s.weight().name())
                    .isEmpty()) {
                return false;
            }
        }
        return true;
    }

    private static Object typed(String v) {
        if (v.equals("true") || v.equals("false")) {
            return Boolean.valueOf(v);
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            return v;
        }
    }

    private static int parseInt(RecordedConfig rc, String key, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(rc.source(), key + ": '" + v + "' is not an integer");
        }
    }

    private static double parseDouble(RecordedConfig rc, String key, String v) {
        try {
            return Double.parseDouble(v.trim());
        } catch (NumberFormatException e) {
            throw new AdapterException(rc.source(), key + ": '" + v + "' is not a number");
        }
    }
}
