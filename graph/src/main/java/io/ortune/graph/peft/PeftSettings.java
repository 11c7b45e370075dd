package io.ortune.graph.peft;

/**
 * The method-independent settings of one PEFT injection, as {@code ortune inject} and {@code ortune train --peft}
 * take them; {@link PeftInjector} turns them into the method's own config. Null means "the method's default".
 *
 * @param method           the method
 * @param adapterName      adapter name ({@code default})
 * @param r                LoRA/DoRA rank
 * @param alpha            LoRA/DoRA alpha
 * @param dropout          LoRA/DoRA dropout (training graph only)
 * @param target           {@code --target}: module suffixes, {@code re:REGEX} or {@code all-linear}
 * @param layers           {@code --layers 0-5}
 * @param rslora           scale α/√r instead of α/r
 * @param init             LoRA init: kaiming, gaussian, pissa, olora; prompt init: random, text, vocab
 * @param numVirtualTokens prefix/prompt length
 * @param reductionFactor  bottleneck adapter reduction factor
 * @param seed             seed of random initialisations
 */
public record PeftSettings(PeftMethod method, String adapterName, Integer r, Double alpha, Double dropout,
                           String target, String layers, boolean rslora, String init, Integer numVirtualTokens,
                           Double reductionFactor, long seed) {

    public static final String DEFAULT_ADAPTER = "default";

    public PeftSettings {
        if (method == null) {
            throw new IllegalArgumentException("no PEFT method given");
        }
        if (adapterName == null || adapterName.isBlank()) {
            adapterName = DEFAULT_ADAPTER;
        }
    }

    /** Only the method, everything else default. */
    public static PeftSettings of(PeftMethod method) {
        return new PeftSettings(method, null, null, null, null, null, null, false, null, null, null, 42);
    }

    /** The layers as a range, or null for all layers. */
    public LayerRange layerRange() {
        return layers == null || layers.isBlank() ? null : LayerRange.parse(layers);
    }
}
