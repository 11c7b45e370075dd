package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The LoRA target modules used when none are given, as PEFT picks them per architecture
 * ({@code TRANSFORMERS_MODELS_TO_LORA_TARGET_MODULES_MAPPING}), recognised here by the module names a model has
 * rather than by a model type, so exports are covered too: Llama-style {@code q_proj,v_proj}, GPT-2
 * {@code c_attn}, BERT {@code query,value}; any other model gets {@code all-linear}.
 */
public final class DefaultTargets {

    private static final List<List<String>> FAMILIES = List.of(
            List.of("q_proj", "v_proj"), List.of("c_attn"), List.of("query", "value"));

    private DefaultTargets() {
    }

    /** The default LoRA target spec for {@code model}. */
    public static TargetSpec lora(Model model) {
        Set<String> leaves = LinearMatcher.find(model.graph()).sites().stream().map(LinearSite::leaf)
                .collect(Collectors.toSet());
        for (List<String> family : FAMILIES) {
            if (leaves.containsAll(family)) {
                return TargetSpec.ofModules(family);
            }
        }
        return TargetSpec.parse(TargetSpec.ALL_LINEAR);
    }
}
