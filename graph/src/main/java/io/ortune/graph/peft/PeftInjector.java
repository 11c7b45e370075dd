package io.ortune.graph.peft;

import io.ortune.graph.ir.Model;

/**
 * One entry point from {@link PeftSettings} (what {@code ortune inject} and {@code ortune train --peft} take) to the
 * method's pass. Settings a method does not use are refused, so a typo'd flag does not pass silently.
 */
public final class PeftInjector {

    private PeftInjector() {
    }

    /** Injects {@code s.method()} into a copy of {@code model}. */
    public static Injection inject(Model model, PeftSettings s) {
        return switch (s.method()) {
            case LORA -> new LoraPass(lora(model, s, false)).inject(model);
            case DORA -> new DoraPass(lora(model, s, true)).inject(model);
            default -> throw new IllegalArgumentException("PEFT method '" + s.method().cliName()
                    + "' is not available through the injector");
        };
    }

    static LoraConfig lora(Model model, PeftSettings s, boolean dora) {
        refuse(s, "--num-virtual-tokens", s.numVirtualTokens() != null);
        refuse(s, "--reduction-factor", s.reductionFactor() != null);
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

    static void refuse(PeftSettings s, String flag, boolean given) {
        if (given) {
            throw new IllegalArgumentException(flag + " does not apply to --peft/--method " + s.method().cliName());
        }
    }
}
