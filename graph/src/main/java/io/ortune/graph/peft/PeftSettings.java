package io.ortune.graph.peft;

/**
 * The settings of one PEFT injection as {@code ortune inject} and {@code ortune train --peft} take them;
 * {@link PeftInjector} turns them into the method's own config and refuses settings the method does not use. Null
 * means "the method's default".
 *
 * @param method           the method
 * @param adapterName      adapter name ({@code default})
 * @param r                LoRA/DoRA rank (8)
 * @param alpha            LoRA/DoRA alpha (8)
 * @param dropout          LoRA/DoRA dropout, training graph only (0)
 * @param target           {@code --target}: module suffixes, {@code re:REGEX} or {@code all-linear}; for IA3 the
 *                         scaled modules; for bottleneck adapters the output projections they follow
 * @param layers           {@code --layers 0-5}
 * @param rslora           LoRA scale α/√r instead of α/r
 * @param init             LoRA: kaiming, gaussian, pissa, olora; prompt: random, text, vocab
 * @param numVirtualTokens prefix/prompt length (20)
 * @param reductionFactor  bottleneck adapter reduction factor (16)
 * @param adapterStyle     bottleneck adapter placement: houlsby (default) or pfeiffer
 * @param activation       bottleneck adapter non-linearity: relu (default), gelu, silu
 * @param initTokenIds     prompt init {@code text}: the token ids of the init text
 * @param prefixProjection prefix tuning: width of PEFT's reparameterization MLP ({@code prefix_projection}), or
 *                         null for plain prefixes
 * @param seed             seed of random initialisations
 */
public record PeftSettings(PeftMethod method, String adapterName, Integer r, Double alpha, Double dropout,
                           String target, String layers, boolean rslora, String init, Integer numVirtualTokens,
                           Double reductionFactor, String adapterStyle, String activation, long[] initTokenIds,
                           Integer prefixProjection, long seed) {

    public static final String DEFAULT_ADAPTER = "default";
    /** PEFT's usual prompt/prefix length in examples and ortune's default. */
    public static final int DEFAULT_VIRTUAL_TOKENS = 20;

    public PeftSettings {
        if (method == null) {
            throw new IllegalArgumentException("no PEFT method given");
        }
        if (adapterName == null || adapterName.isBlank()) {
            adapterName = DEFAULT_ADAPTER;
        }
        initTokenIds = initTokenIds == null ? null : initTokenIds.clone();
    }

    /** Only the method, everything else default. */
    public static PeftSettings of(PeftMethod method) {
        return new PeftSettings(method, null, null, null, null, null, null, false, null, null, null, null, null,
                null, null, 42);
    }

    /** The layers as a range, or null for all layers. */
    public LayerRange layerRange() {
        return layers == null || layers.isBlank() ? null : LayerRange.parse(layers);
    }

    @Override
    public long[] initTokenIds() {
        return initTokenIds == null ? null : initTokenIds.clone();
    }
}
