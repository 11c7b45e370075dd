package io.ortune.export.adapter;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** The checks behind {@link PeftAdapterConfig}: values that are wrong, and values ortune does not reproduce. */
final class ConfigChecks {

    /**
     * Fields of newer PEFT versions that change which modules are adapted or what they compute; ortune refuses a
     * file that sets them (null, false, an empty list or map count as unset).
     */
    static final List<String> UNSUPPORTED_WHEN_SET = List.of("layer_replication", "lora_bias", "exclude_modules",
            "target_parameters", "trainable_token_indices", "use_qalora", "alora_invocation_tokens", "arrow_config",
            "megatron_config");

    private ConfigChecks() {
    }

    static List<String> invalid(String peftType, int r, double alpha, double dropout, PeftAdapterConfig.Targets targets,
                                boolean useDora, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
                                List<Integer> layers, String bias, List<String> feedforward, int virtualTokens) {
        List<String> issues = new ArrayList<>();
        if (peftType == null || !PeftAdapterConfig.PEFT_TYPES.contains(peftType)) {
            issues.add("peft_type: unknown value '" + peftType + "'; ortune reads " + PeftAdapterConfig.PEFT_TYPES);
            return issues;
        }
        boolean lora = peftType.equals("LORA");
        boolean ia3 = peftType.equals("IA3");
        if (lora && r <= 0) {
            issues.add("r: must be a positive rank, got " + r);
        }
        if (lora && (!(alpha > 0) || !Double.isFinite(alpha))) {
            issues.add("lora_alpha: must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            issues.add("lora_dropout: must be in [0, 1), got " + dropout);
        }
        if (useDora && !lora) {
            issues.add("use_dora: only valid with peft_type LORA, not " + peftType);
        }
        if ((lora || ia3) && (targets == null || targets.isEmpty())) {
            issues.add("target_modules: " + peftType + " needs target modules (a list of names or a regex string)");
        }
        if (targets != null) {
            for (String m : targets.modules()) {
                if (m == null || m.isBlank() || m.contains(",")) {
                    issues.add("target_modules: entry '" + m + "' is not a module name");
                }
            }
            if (targets.regex() != null) {
                String p = PeftAdapterConfig.regexProblem("target_modules", targets.regex());
                if (p != null) {
                    issues.add(p);
                }
            }
        }
        rankPattern.forEach((k, v) -> {
            String p = PeftAdapterConfig.regexProblem("rank_pattern key", k);
            if (p != null) {
                issues.add(p);
            }
            if (v == null || v <= 0) {
                issues.add("rank_pattern: rank of '" + k + "' must be positive, got " + v);
            }
        });
        alphaPattern.forEach((k, v) -> {
            String p = PeftAdapterConfig.regexProblem("alpha_pattern key", k);
            if (p != null) {
                issues.add(p);
            }
            if (v == null || !(v > 0) || !Double.isFinite(v)) {
                issues.add("alpha_pattern: alpha of '" + k + "' must be a positive number, got " + v);
            }
        });
        for (Integer l : layers) {
            if (l == null || l < 0) {
                issues.add("layers_to_transform: layer " + l + " is not a layer index");
            }
        }
        if (bias == null || !List.of("none", "all", "lora_only").contains(bias)) {
            issues.add("bias: must be none, all or lora_only, got '" + bias + "'");
        }
        if (!ia3 && !feedforward.isEmpty()) {
            issues.add("feedforward_modules: only valid with peft_type IA3, not " + peftType);
        }
        boolean prompt = peftType.equals("PROMPT_TUNING") || peftType.equals("PREFIX_TUNING");
        if (prompt && virtualTokens <= 0) {
            issues.add("num_virtual_tokens: " + peftType + " needs a positive count, got " + virtualTokens);
        }
        return issues;
    }

    static List<String> unsupported(PeftAdapterConfig c) {
        List<String> issues = new ArrayList<>();
        if (!c.bias().equals("none")) {
            issues.add("bias: '" + c.bias() + "' trains the base model's biases too, which ortune does not attach; "
                    + "only \"none\" is supported");
        }
        if (!c.modulesToSave().isEmpty()) {
            issues.add("modules_to_save: " + c.modulesToSave() + " replaces whole modules with trained copies, which "
                    + "ortune does not attach; only an empty list or null is supported");
        }
        for (String f : UNSUPPORTED_WHEN_SET) {
            Object v = c.other().get(f);
            if (isSet(v)) {
                issues.add(f + ": set to " + v + ", which changes the adapted model in a way ortune does not "
                        + "reproduce; only null is supported");
            }
        }
        return issues;
    }

    private static boolean isSet(Object v) {
        if (v == null || Boolean.FALSE.equals(v)) {
            return false;
        }
        if (v instanceof Collection<?> c) {
            return !c.isEmpty();
        }
        if (v instanceof Map<?, ?> m) {
            return !m.isEmpty();
        }
        return !(v instanceof String s) || !s.isEmpty();
    }
}
