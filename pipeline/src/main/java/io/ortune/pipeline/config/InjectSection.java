package io.ortune.pipeline.config;

/**
 * {@code inject:} the adapter written into the base, as {@code ortune inject} takes it.
 *
 * @param method lora (default), dora, ia3, adapter, prefix, prompt
 * @param r      rank (8)
 * @param alpha  alpha (8)
 * @param dropout LoRA dropout (0)
 * @param target module suffixes ({@code query,value}), {@code re:REGEX} or {@code all-linear}
 * @param layers layer range ({@code 0-2})
 * @param rslora rank-stabilised scaling
 * @param init   LoRA init: kaiming (default), gaussian, pissa, olora
 * @param seed   seed of the adapter's random init (the pipeline's seed when null)
 */
public record InjectSection(String method, Integer r, Double alpha, Double dropout, String target, String layers,
                            Boolean rslora, String init, Long seed) {

    public String methodOrDefault() {
        return method == null ? "lora" : method;
    }
}
