package io.ortune.graph.peft;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One named adapter injected into a model, as recorded in its metadata ({@link PeftMetadata}).
 *
 * @param name    the adapter's name ({@code default} unless given)
 * @param method  the PEFT method
 * @param config  the method's settings as strings, with PEFT's key names where PEFT has them ({@code r},
 *                {@code lora_alpha}, {@code lora_dropout}, {@code use_rslora}, {@code init_lora_weights},
 *                {@code target_modules}, {@code layers_to_transform}, {@code fan_in_fan_out},
 *                {@code num_virtual_tokens}, ...)
 * @param tensors the adapter's tensors: PEFT's state-dict key without the adapter name
 *                ({@code base_model.model.<module>.lora_A.weight}) to the graph initializer holding it
 */
public record AdapterInfo(String name, PeftMethod method, Map<String, String> config, Map<String, String> tensors) {

    public AdapterInfo {
        PeftMetadata.checkName(name, "adapter name");
        config = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(config));
        tensors = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tensors));
    }

    /** A config value, or {@code fallback} when absent. */
    public String get(String key, String fallback) {
        return config.getOrDefault(key, fallback);
    }
}
