package io.ortune.graph.peft;

/**
 * Settings of an IA3 adapter (PEFT's {@code IA3Config}).
 *
 * @param adapterName        the adapter's name ({@code default})
 * @param targetModules      PEFT's {@code target_modules} as a {@link TargetSpec}; null for the architecture's default
 *                           (Llama {@code k_proj,v_proj,down_proj}, GPT-2 {@code c_attn,mlp.c_proj}, BERT
 *                           {@code key,value,output.dense})
 * @param feedforwardModules PEFT's {@code feedforward_modules} (a subset of the targets whose <em>input</em> is
 *                           scaled); null for the architecture's default ({@code down_proj}, {@code mlp.c_proj},
 *                           {@code output.dense}) when the targets are the default too, else for none
 * @param layers             PEFT's {@code layers_to_transform}, or null for every layer
 */
public record Ia3Config(String adapterName, String targetModules, String feedforwardModules, LayerRange layers) {

    public Ia3Config {
        PeftMetadata.checkName(adapterName, "adapter name");
    }

    /** Adapter {@code default}, the architecture's default targets, every layer. */
    public static Ia3Config defaults() {
        return new Ia3Config("default", null, null, null);
    }

    public Ia3Config withTargets(String targets, String feedforward) {
        return new Ia3Config(adapterName, targets, feedforward, layers);
    }

    public Ia3Config withLayers(LayerRange range) {
        return new Ia3Config(adapterName, targetModules, feedforwardModules, range);
    }

    public Ia3Config withAdapterName(String name) {
        return new Ia3Config(name, targetModules, feedforwardModules, layers);
    }
}
