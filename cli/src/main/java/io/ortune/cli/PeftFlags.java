package io.ortune.cli;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.PeftSettings;
import picocli.CommandLine.Option;

/**
 * The PEFT settings shared by {@code ortune inject} (method from {@code --method}) and {@code ortune train}
 * (method from {@code --peft}); also keys of train's YAML config and of its saved {@code train_config.json}.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
final class PeftFlags {

    @Option(names = "--r", paramLabel = "N", description = "LoRA/DoRA rank (default 8).")
    @JsonProperty("r") Integer r;

    @Option(names = "--alpha", paramLabel = "A", description = "LoRA/DoRA alpha (default 8: scale alpha/r).")
    @JsonProperty("alpha") Double alpha;

    @Option(names = "--dropout", paramLabel = "P", description = "LoRA dropout, training graph only (default 0).")
    @JsonProperty("dropout") Double dropout;

    @Option(names = "--target", paramLabel = "SPEC",
            description = "Modules: suffixes (q_proj,v_proj), re:REGEX or all-linear (default: per method and model).")
    @JsonProperty("target") String target;

    @Option(names = "--layers", paramLabel = "RANGE", description = "Only these layers (0-5, 0,2,4).")
    @JsonProperty("layers") String layers;

    @Option(names = "--rslora", description = "Rank-stabilised LoRA: scale alpha/sqrt(r).")
    @JsonProperty("rslora") Boolean rslora;

    @Option(names = "--init", paramLabel = "KIND",
            description = "LoRA: kaiming (default), gaussian, pissa, olora. Prompt: random (default), vocab, text.")
    @JsonProperty("init") String init;

    @Option(names = "--num-virtual-tokens", paramLabel = "N", description = "Prefix/prompt length (default 20).")
    @JsonProperty("num-virtual-tokens") Integer numVirtualTokens;

    @Option(names = "--reduction-factor", paramLabel = "F", description = "Bottleneck adapter reduction (default 16).")
    @JsonProperty("reduction-factor") Double reductionFactor;

    @Option(names = "--adapter-style", paramLabel = "houlsby|pfeiffer",
            description = "Bottleneck adapter placement (default houlsby).")
    @JsonProperty("adapter-style") String adapterStyle;

    @Option(names = "--activation", paramLabel = "relu|gelu|silu",
            description = "Bottleneck adapter non-linearity (default relu).")
    @JsonProperty("activation") String activation;

    @Option(names = "--init-token-ids", paramLabel = "ID,...", split = ",",
            description = "Prompt init 'text': the token ids of the init text.")
    @JsonProperty("init-token-ids") long[] initTokenIds;

    @Option(names = "--prefix-projection", paramLabel = "N",
            description = "Prefix tuning: reparameterize through an MLP of width N during training.")
    @JsonProperty("prefix-projection") Integer prefixProjection;

    @Option(names = "--adapter-name", paramLabel = "NAME", description = "Adapter name (default 'default').")
    @JsonProperty("adapter-name") String adapterName;

    /** The library settings for {@code method}. */
    PeftSettings settings(PeftMethod method, long seed) {
        return new PeftSettings(method, adapterName, r, alpha, dropout, target, layers, Boolean.TRUE.equals(rslora),
                init, numVirtualTokens, reductionFactor, adapterStyle, activation, initTokenIds, prefixProjection,
                seed);
    }
}
