package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

import java.util.Locale;
import java.util.Optional;

/**
 * The transformer families whose module names the PEFT passes know, with PEFT's per-architecture defaults
 * ({@code TRANSFORMERS_MODELS_TO_IA3_TARGET_MODULES_MAPPING} and its feed-forward twin) and the sublayer output
 * projections bottleneck adapters follow.
 */
public enum ModelFamily {
    /** GPT-2: fused {@code attn.c_attn}, {@code attn.c_proj}, {@code mlp.c_fc}, {@code mlp.c_proj} (Conv1D). */
    GPT2("c_attn,mlp.c_proj", "mlp.c_proj", "attn.c_proj", "mlp.c_proj"),
    /** Llama, Mistral, Qwen2: {@code self_attn.{q,k,v,o}_proj}, {@code mlp.{gate,up,down}_proj}. */
    LLAMA("k_proj,v_proj,down_proj", "down_proj", "o_proj", "down_proj"),
    /**
     * BERT (ortune's builder and PyTorch exports such as all-MiniLM-L6-v2): {@code attention.self.{query,key,value}},
     * {@code attention.output.dense}, {@code intermediate.dense}, {@code output.dense}.
     */
    BERT("key,value,output.dense", "output.dense", "attention.output.dense", "re:.*layer\\.\\d+\\.output\\.dense");

    private final String ia3Targets;
    private final String ia3Feedforward;
    private final String attentionOutput;
    private final String ffnOutput;

    ModelFamily(String ia3Targets, String ia3Feedforward, String attentionOutput, String ffnOutput) {
        this.ia3Targets = ia3Targets;
        this.ia3Feedforward = ia3Feedforward;
        this.attentionOutput = attentionOutput;
        this.ffnOutput = ffnOutput;
    }

    /** PEFT's default IA3 {@code target_modules}. */
    public String ia3Targets() {
        return ia3Targets;
    }

    /** PEFT's default IA3 {@code feedforward_modules}. */
    public String ia3Feedforward() {
        return ia3Feedforward;
    }

    /** The attention sublayer's output projection, as a {@link TargetSpec}. */
    public String attentionOutput() {
        return attentionOutput;
    }

    /** The feed-forward sublayer's output projection, as a {@link TargetSpec}. */
    public String ffnOutput() {
        return ffnOutput;
    }

    /**
     * The family of {@code m}: from ortune's {@code ortune.architecture} metadata when present, else from the module
     * names of its linear layers (so exported models are recognised too); empty when neither tells.
     */
    public static Optional<ModelFamily> detect(Model m, LinearMatcher.Matches matches) {
        String arch = m.metadataProps().get("ortune.architecture");
        if (arch != null) {
            switch (arch.toLowerCase(Locale.ROOT)) {
                case "gpt2":
                    return Optional.of(GPT2);
                case "llama":
                    return Optional.of(LLAMA);
                case "bert":
                    return Optional.of(BERT);
                default:
                    break;
            }
        }
        for (LinearSite s : matches.sites()) {
            String mod = s.module();
            if (ModulePaths.endsWithModule(mod, "attention.self.key")) {
                return Optional.of(BERT);
            }
            if (ModulePaths.endsWithModule(mod, "self_attn.k_proj")) {
                return Optional.of(LLAMA);
            }
            if (ModulePaths.endsWithModule(mod, "attn.c_attn")) {
                return Optional.of(GPT2);
            }
        }
        return Optional.empty();
    }

    /** {@link #detect}, failing with a message that says what to give instead. */
    static ModelFamily require(Model m, LinearMatcher.Matches matches, String what) {
        return detect(m, matches).orElseThrow(() -> new IllegalArgumentException("cannot tell the architecture of "
                + "graph '" + m.graph().name() + "' (no ortune.architecture metadata, no GPT-2/Llama/BERT module "
                + "names among its " + matches.sites().size() + " linear layers" + sample(matches) + "): give "
                + what + " explicitly"));
    }

    private static String sample(LinearMatcher.Matches matches) {
        return matches.sites().isEmpty() ? "" : ", e.g. '" + matches.sites().get(0).module() + "'";
    }
}
