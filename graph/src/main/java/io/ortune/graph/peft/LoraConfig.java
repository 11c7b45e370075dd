package io.ortune.graph.peft;

import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Settings of a LoRA (or DoRA) adapter, with PEFT's meaning and defaults: {@code r} 8, {@code lora_alpha} 8,
 * dropout 0, scaling α/r (α/√r with {@code rslora}), Kaiming init, adapter {@code default}.
 *
 * <p>{@code rankPattern} and {@code alphaPattern} follow PEFT's {@code get_pattern_key}: keys are tried in the map's
 * order, and the first key {@code k} such that the whole module path matches the regular expression
 * {@code (.*\.)?(k)} wins ({@code q_proj} matches {@code model.layers.0.self_attn.q_proj}; {@code layers.0.*q_proj}
 * is a regular expression). Modules no key matches get {@code r} / {@code alpha}.
 *
 * @param r            default rank (&gt; 0)
 * @param alpha        default {@code lora_alpha} (&gt; 0)
 * @param dropout      dropout on the adapter's input while training, in [0, 1)
 * @param rslora       scale by α/√r instead of α/r
 * @param init         how A and B start
 * @param targets      which linear modules get an adapter
 * @param layers       only modules in these transformer layers (null: all)
 * @param rankPattern  per-module ranks (PEFT {@code rank_pattern})
 * @param alphaPattern per-module alphas (PEFT {@code alpha_pattern})
 * @param adapterName  the adapter's name: letters, digits, {@code _} and {@code -}
 * @param seed         seed of the random init
 * @param useDora      weight-decomposed LoRA (DoRA): a trainable magnitude per output row
 */
public record LoraConfig(int r, double alpha, double dropout, boolean rslora, LoraInit init, TargetSpec targets,
                         LayerRange layers, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
                         String adapterName, long seed, boolean useDora) {

    /** PEFT's default adapter name. */
    public static final String DEFAULT_ADAPTER = "default";
    private static final Pattern ADAPTER_NAME = Pattern.compile("[A-Za-z0-9_-]+");

    public LoraConfig {
        if (r <= 0) {
            throw new IllegalArgumentException("LoRA rank r must be positive, got " + r);
        }
        if (!(alpha > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("lora_alpha must be a positive number, got " + alpha);
        }
        if (!(dropout >= 0 && dropout < 1)) {
            throw new IllegalArgumentException("lora_dropout must be in [0, 1), got " + dropout);
        }
        Objects.requireNonNull(init, "init");
        Objects.requireNonNull(targets, "targets (the modules to adapt)");
        if (adapterName == null || !ADAPTER_NAME.matcher(adapterName).matches()) {
            throw new IllegalArgumentException("adapter name '" + adapterName + "' must be non-empty letters, digits, "
                    + "'_' or '-' (it becomes part of tensor names such as q_proj.lora_A.<name>.weight)");
        }
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern == null ? Map.of() : rankPattern));
        alphaPattern = Collections.unmodifiableMap(new LinkedHashMap<>(alphaPattern == null ? Map.of()
                : alphaPattern));
        for (Map.Entry<String, Integer> e : rankPattern.entrySet()) {
            checkKey(e.getKey(), "rank_pattern");
            if (e.getValue() == null || e.getValue() <= 0) {
                throw new IllegalArgumentException("rank_pattern '" + e.getKey() + "': rank must be positive, got "
                        + e.getValue());
            }
        }
        for (Map.Entry<String, Double> e : alphaPattern.entrySet()) {
            checkKey(e.getKey(), "alpha_pattern");
            if (e.getValue() == null || !(e.getValue() > 0) || e.getValue().isInfinite()) {
                throw new IllegalArgumentException("alpha_pattern '" + e.getKey() + "': alpha must be a positive "
                        + "number, got " + e.getValue());
            }
        }
    }

    /** PEFT's defaults for {@code targets}. */
    public static LoraConfig of(TargetSpec targets) {
        return new LoraConfig(8, 8, 0, false, LoraInit.KAIMING, targets, null, Map.of(), Map.of(), DEFAULT_ADAPTER, 0,
                false);
    }

    /** PEFT's defaults for a target spec ({@code q_proj,v_proj}, {@code re:...}, {@code all-linear}). */
    public static LoraConfig of(String targets) {
        return of(TargetSpec.parse(targets));
    }

    public LoraConfig withR(int v) {
        return new LoraConfig(v, alpha, dropout, rslora, init, targets, layers, rankPattern, alphaPattern,
                adapterName, seed, useDora);
    }

    public LoraConfig withAlpha(double v) {
        return new LoraConfig(r, v, dropout, rslora, init, targets, layers, rankPattern, alphaPattern, adapterName,
                seed, useDora);
    }

    public LoraConfig withDropout(double v) {
        return new LoraConfig(r, alpha, v, rslora, init, targets, layers, rankPattern, alphaPattern, adapterName,
                seed, useDora);
    }

    public LoraConfig withRslora(boolean v) {
        return new LoraConfig(r, alpha, dropout, v, init, targets, layers, rankPattern, alphaPattern, adapterName,
                seed, useDora);
    }

    public LoraConfig withInit(LoraInit v) {
        return new LoraConfig(r, alpha, dropout, rslora, v, targets, layers, rankPattern, alphaPattern, adapterName,
                seed, useDora);
    }

    public LoraConfig withLayers(LayerRange v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, v, rankPattern, alphaPattern, adapterName,
                seed, useDora);
    }

    public LoraConfig withRankPattern(Map<String, Integer> v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, layers, v, alphaPattern, adapterName, seed,
                useDora);
    }

    public LoraConfig withAlphaPattern(Map<String, Double> v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, layers, rankPattern, v, adapterName, seed,
                useDora);
    }

    public LoraConfig withAdapterName(String v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, layers, rankPattern, alphaPattern, v, seed,
                useDora);
    }

    public LoraConfig withSeed(long v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, layers, rankPattern, alphaPattern,
                adapterName, v, useDora);
    }

    public LoraConfig withDora(boolean v) {
        return new LoraConfig(r, alpha, dropout, rslora, init, targets, layers, rankPattern, alphaPattern,
                adapterName, seed, v);
    }

    /** The rank of {@code module}: its {@code rank_pattern} entry, else {@code r}. */
    public int rankFor(String module) {
        return patternKey(rankPattern.keySet(), module).map(rankPattern::get).orElse(r);
    }

    /** The alpha of {@code module}: its {@code alpha_pattern} entry, else {@code alpha}. */
    public double alphaFor(String module) {
        return patternKey(alphaPattern.keySet(), module).map(alphaPattern::get).orElse(alpha);
    }

    /** PEFT's {@code scaling} of {@code module}: α/r, or α/√r with rsLoRA. */
    public double scalingFor(String module) {
        return scaling(alphaFor(module), rankFor(module), rslora);
    }

    /** α/r, or α/√r with rsLoRA. */
    public static double scaling(double alpha, int r, boolean rslora) {
        return rslora ? alpha / Math.sqrt(r) : alpha / r;
    }

    /**
     * PEFT's {@code get_pattern_key}: the first of {@code keys} (in iteration order) such that {@code module}
     * matches {@code (.*\.)?(key)} as a whole, if any.
     */
    public static Optional<String> patternKey(Collection<String> keys, String module) {
        for (String k : keys) {
            if (Pattern.compile("(.*\\.)?(" + k + ")").matcher(module).matches()) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    private static void checkKey(String key, String what) {
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException(what + ": empty module key");
        }
        try {
            Pattern.compile("(.*\\.)?(" + key + ")");
        } catch (PatternSyntaxException e) {
            throw new IllegalArgumentException(what + " key '" + key + "' is not a valid regular expression: "
                    + e.getDescription(), e);
        }
    }
}
