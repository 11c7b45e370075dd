package io.ortune.graph.peft;

import java.util.Locale;

/**
 * Settings of a bottleneck adapter (AdapterHub's {@code BnConfig}; not a Python PEFT method).
 *
 * @param adapterName      the adapter's name ({@code default})
 * @param style            where adapters go: {@link Style#HOULSBY} after both sublayers, {@link Style#PFEIFFER}
 *                         after the feed-forward sublayer only
 * @param reductionFactor  hidden size / bottleneck size (AdapterHub's {@code reduction_factor}, default 16; the
 *                         bottleneck is {@code hidden / reductionFactor}, rounded down, at least 1)
 * @param activation       the bottleneck's non-linearity
 * @param attentionOutputs the attention output projections, as a {@link TargetSpec}; null for the architecture's
 *                         ({@code o_proj}, {@code attn.c_proj}, {@code attention.output.dense})
 * @param ffnOutputs       the feed-forward output projections; null for the architecture's ({@code down_proj},
 *                         {@code mlp.c_proj}, BERT's {@code layer.N.output.dense})
 * @param layers           the layers to adapt, or null for all
 * @param seed             seed of the down projection's initial weights
 */
public record BottleneckAdapterConfig(String adapterName, Style style, int reductionFactor, Activation activation,
                                      String attentionOutputs, String ffnOutputs, LayerRange layers, long seed) {

    /** Adapter placement. */
    public enum Style {
        /** Houlsby et al. 2019: after the attention output projection and after the feed-forward one. */
        HOULSBY,
        /** Pfeiffer et al. 2020: after the feed-forward output projection only. */
        PFEIFFER
    }

    /** The bottleneck's non-linearity, with AdapterHub's {@code non_linearity} names. */
    public enum Activation {
        RELU("relu"), GELU("gelu"), SILU("swish");

        private final String adapterHubName;

        Activation(String adapterHubName) {
            this.adapterHubName = adapterHubName;
        }

        public String adapterHubName() {
            return adapterHubName;
        }

        /** Parses {@code relu}, {@code gelu}, {@code silu} or {@code swish}, case-insensitively. */
        public static Activation parse(String s) {
            String v = s.trim().toLowerCase(Locale.ROOT);
            for (Activation a : values()) {
                if (a.name().toLowerCase(Locale.ROOT).equals(v) || a.adapterHubName.equals(v)) {
                    return a;
                }
            }
            throw new IllegalArgumentException("unknown adapter activation '" + s + "': use relu, gelu or silu");
        }
    }

    public BottleneckAdapterConfig {
        PeftMetadata.checkName(adapterName, "adapter name");
        if (style == null || activation == null) {
            throw new IllegalArgumentException("bottleneck adapter needs a style and an activation");
        }
        if (reductionFactor < 1) {
            throw new IllegalArgumentException("reduction factor must be at least 1, got " + reductionFactor);
        }
    }

    /** Houlsby, reduction factor 16, ReLU, the architecture's projections, every layer, seed 0. */
    public static BottleneckAdapterConfig defaults() {
        return new BottleneckAdapterConfig("default", Style.HOULSBY, 16, Activation.RELU, null, null, null, 0);
    }

    public BottleneckAdapterConfig withStyle(Style s) {
        return new BottleneckAdapterConfig(adapterName, s, reductionFactor, activation, attentionOutputs, ffnOutputs,
                layers, seed);
    }

    public BottleneckAdapterConfig withReductionFactor(int r) {
        return new BottleneckAdapterConfig(adapterName, style, r, activation, attentionOutputs, ffnOutputs, layers,
                seed);
    }

    public BottleneckAdapterConfig withActivation(Activation a) {
        return new BottleneckAdapterConfig(adapterName, style, reductionFactor, a, attentionOutputs, ffnOutputs,
                layers, seed);
    }

    public BottleneckAdapterConfig withProjections(String attention, String ffn) {
        return new BottleneckAdapterConfig(adapterName, style, reductionFactor, activation, attention, ffn, layers,
                seed);
    }

    public BottleneckAdapterConfig withLayers(LayerRange range) {
        return new BottleneckAdapterConfig(adapterName, style, reductionFactor, activation, attentionOutputs,
                ffnOutputs, range, seed);
    }

    public BottleneckAdapterConfig withSeed(long s) {
        return new BottleneckAdapterConfig(adapterName, style, reductionFactor, activation, attentionOutputs,
                ffnOutputs, layers, s);
    }
}
