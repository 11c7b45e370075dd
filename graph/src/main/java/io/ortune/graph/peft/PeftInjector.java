package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

import java.util.Locale;

/**
 * One entry point from {@link PeftSettings} (what {@code ortune inject} and {@code ortune train --peft} take) to the
 * method's pass. Settings a method does not use are refused, so a flag meant for another method does not pass
 * silently.
 */
public final class PeftInjector {

    private PeftInjector() {
    }

    /** Injects {@code s.method()} into a copy of {@code model}. */
    public static Injection inject(Model model, PeftSettings s) {
        return switch (s.method()) {
            case LORA -> new LoraPass(lora(model, s, false)).inject(model);
            case DORA -> new DoraPass(lora(model, s, true)).inject(model);
            case IA3 -> new Ia3Pass(ia3(s)).inject(model);
            case ADAPTER -> new BottleneckAdapterPass(bottleneck(s)).inject(model);
            case PROMPT -> new PromptTuningPass(prompt(s)).inject(model);
            case PREFIX -> new PrefixTuningPass(prefix(s)).inject(model);
        };
    }

    static LoraConfig lora(Model model, PeftSettings s, boolean dora) {
        only(s, "r alpha dropout target layers rslora init");
        TargetSpec targets = s.target() == null ? DefaultTargets.lora(model) : TargetSpec.parse(s.target());
        LoraConfig c = LoraConfig.of(targets).withAdapterName(s.adapterName()).withSeed(s.seed()).withDora(dora)
                .withRslora(s.rslora());
        if (s.r() != null) {
            c = c.withR(s.r());
        }
        if (s.alpha() != null) {
            c = c.withAlpha(s.alpha());
        }
        if (s.dropout() != null) {
            c = c.withDropout(s.dropout());
        }
        if (s.init() != null) {
            c = c.withInit(LoraInit.parse(s.init()));
        }
        if (s.layerRange() != null) {
            c = c.withLayers(s.layerRange());
        }
        return c;
    }

    static Ia3Config ia3(PeftSettings s) {
        only(s, "target layers");
        Ia3Config c = Ia3Config.defaults().withAdapterName(s.adapterName());
        if (s.target() != null) {
            c = c.withTargets(s.target(), c.feedforwardModules());
        }
        return s.layerRange() == null ? c : c.withLayers(s.layerRange());
    }

    static BottleneckAdapterConfig bottleneck(PeftSettings s) {
        only(s, "target layers reductionFactor adapterStyle activation");
        BottleneckAdapterConfig c = BottleneckAdapterConfig.defaults().withSeed(s.seed());
        c = new BottleneckAdapterConfig(s.adapterName(), c.style(), c.reductionFactor(), c.activation(),
                c.attentionOutputs(), c.ffnOutputs(), c.layers(), c.seed());
        if (s.reductionFactor() != null) {
            double f = s.reductionFactor();
            if (f != Math.rint(f) || f < 1) {
                throw new IllegalArgumentException("--reduction-factor must be a whole number >= 1, got " + f);
            }
            c = c.withReductionFactor((int) f);
        }
        if (s.adapterStyle() != null) {
            c = c.withStyle(style(s.adapterStyle()));
        }
        if (s.activation() != null) {
            c = c.withActivation(BottleneckAdapterConfig.Activation.parse(s.activation()));
        }
        if (s.target() != null) {
            String[] parts = s.target().split(";", -1);
            if (parts.length != 2) {
                throw new IllegalArgumentException("--target for bottleneck adapters is ATTENTION_OUTPUTS;FFN_OUTPUTS "
                        + "(module suffixes, e.g. 'o_proj;down_proj', either side may be empty), not '"
                        + s.target() + "'");
            }
            c = c.withProjections(parts[0].isBlank() ? null : parts[0], parts[1].isBlank() ? null : parts[1]);
        }
        return s.layerRange() == null ? c : c.withLayers(s.layerRange());
    }

    static PromptTuningConfig prompt(PeftSettings s) {
        only(s, "numVirtualTokens init initTokenIds");
        int n = s.numVirtualTokens() == null ? PeftSettings.DEFAULT_VIRTUAL_TOKENS : s.numVirtualTokens();
        String init = s.init() == null ? (s.initTokenIds() != null ? "text" : "random")
                : s.init().toLowerCase(Locale.ROOT);
        PromptTuningConfig c = switch (init) {
            case "random" -> PromptTuningConfig.random(n);
            case "vocab" -> PromptTuningConfig.vocab(n, s.seed());
            case "text" -> {
                if (s.initTokenIds() == null) {
                    throw new IllegalArgumentException("prompt init 'text' needs --init-token-ids (the ids of the "
                            + "init text)");
                }
                yield PromptTuningConfig.text(n, s.initTokenIds());
            }
            default -> throw new IllegalArgumentException("unknown prompt init '" + s.init()
                    + "': use random, vocab or text");
        };
        if (s.initTokenIds() != null && !init.equals("text")) {
            throw new IllegalArgumentException("--init-token-ids goes with prompt init 'text', not '" + init + "'");
        }
        return c.withAdapterName(s.adapterName()).withSeed(s.seed());
    }

    static PrefixTuningConfig prefix(PeftSettings s) {
        only(s, "numVirtualTokens prefixProjection");
        int n = s.numVirtualTokens() == null ? PeftSettings.DEFAULT_VIRTUAL_TOKENS : s.numVirtualTokens();
        PrefixTuningConfig c = PrefixTuningConfig.of(n).withAdapterName(s.adapterName()).withSeed(s.seed());
        return s.prefixProjection() == null ? c : c.withReparameterization(s.prefixProjection());
    }

    private static BottleneckAdapterConfig.Style style(String v) {
        try {
            return BottleneckAdapterConfig.Style.valueOf(v.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown adapter style '" + v + "': use houlsby or pfeiffer", e);
        }
    }

    /** Refuses every setting given that is not in {@code allowed} (field names, space-separated). */
    private static void only(PeftSettings s, String allowed) {
        java.util.Set<String> ok = java.util.Set.of(allowed.split(" "));
        String[][] given = {
            {"r", "--r", s.r() == null ? null : "x"}, {"alpha", "--alpha", s.alpha() == null ? null : "x"},
            {"dropout", "--dropout", s.dropout() == null ? null : "x"},
            {"target", "--target", s.target()}, {"layers", "--layers", s.layers()},
            {"rslora", "--rslora", s.rslora() ? "x" : null}, {"init", "--init", s.init()},
            {"numVirtualTokens", "--num-virtual-tokens", s.numVirtualTokens() == null ? null : "x"},
            {"reductionFactor", "--reduction-factor", s.reductionFactor() == null ? null : "x"},
            {"adapterStyle", "--adapter-style", s.adapterStyle()}, {"activation", "--activation", s.activation()},
            {"initTokenIds", "--init-token-ids", s.initTokenIds() == null ? null : "x"},
            {"prefixProjection", "--prefix-projection", s.prefixProjection() == null ? null : "x"}};
        for (String[] g : given) {
            if (g[2] != null && !ok.contains(g[0])) {
                throw new IllegalArgumentException(g[1] + " does not apply to PEFT method '" + s.method().cliName()
                        + "'");
            }
        }
    }
}
