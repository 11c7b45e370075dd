package io.ortune.export.adapter;

import io.ortune.graph.peft.PeftMethod;

import java.util.List;
import java.util.Optional;

/**
 * PEFT's state-dict keys as saved (adapter name removed): {@code base_model.model.<module>.lora_A.weight}
 * {@code [r, in]}, {@code ...lora_B.weight} {@code [out, r]}, DoRA's {@code ...lora_magnitude_vector} {@code [out]}
 * (PEFT strips the {@code .weight} of its DoRA layer when saving), IA3's {@code ...ia3_l}, the prompt
 * encoders' {@code prompt_embeddings}, and ortune's bottleneck adapters' {@code ...adapter_down.weight} /
 * {@code .bias}, {@code ...adapter_up.weight} / {@code .bias} ({@code nn.Linear} layout; not a Python PEFT method).
 */
public final class AdapterKeys {

    /** What PEFT puts before a module path: {@code PeftModel.base_model} (the tuner) and its {@code model}. */
    public static final String PREFIX = "base_model.model.";
    /** The key of prompt and prefix tuning's virtual-token table. */
    public static final String PROMPT_EMBEDDINGS = "prompt_embeddings";

    /** One per-module tensor kind, with its key suffix. */
    public enum Part {
        LORA_A(".lora_A.weight"),
        LORA_B(".lora_B.weight"),
        MAGNITUDE(".lora_magnitude_vector"),
        IA3(".ia3_l"),
        ADAPTER_DOWN(".adapter_down.weight"),
        ADAPTER_DOWN_BIAS(".adapter_down.bias"),
        ADAPTER_UP(".adapter_up.weight"),
        ADAPTER_UP_BIAS(".adapter_up.bias");

        private final String suffix;

        Part(String suffix) {
            this.suffix = suffix;
        }

        public String suffix() {
            return suffix;
        }
    }

    /**
     * A parsed per-module key.
     *
     * @param module the module path ({@code model.layers.0.self_attn.q_proj})
     * @param part   the tensor kind
     */
    public record Key(String module, Part part) {
        @Override
        public String toString() {
            return key(module, part);
        }
    }

    private AdapterKeys() {
    }

    /** The key of {@code part} of {@code module}. */
    public static String key(String module, Part part) {
        return PREFIX + module + part.suffix();
    }

    /** The module and part of a per-module key; empty for anything else. */
    public static Optional<Key> parse(String key) {
        if (!key.startsWith(PREFIX)) {
            return Optional.empty();
        }
        for (Part p : Part.values()) {
            if (key.endsWith(p.suffix()) && key.length() > PREFIX.length() + p.suffix().length()) {
                return Optional.of(new Key(key.substring(PREFIX.length(), key.length() - p.suffix().length()), p));
            }
        }
        return Optional.empty();
    }

    /** The per-module parts a method stores (empty for the prompt methods). */
    public static List<Part> parts(PeftMethod method) {
        return switch (method) {
            case LORA -> List.of(Part.LORA_A, Part.LORA_B);
            case DORA -> List.of(Part.LORA_A, Part.LORA_B, Part.MAGNITUDE);
            case IA3 -> List.of(Part.IA3);
            case ADAPTER -> List.of(Part.ADAPTER_DOWN, Part.ADAPTER_DOWN_BIAS, Part.ADAPTER_UP, Part.ADAPTER_UP_BIAS);
            case PROMPT, PREFIX -> List.of();
        };
    }
}
