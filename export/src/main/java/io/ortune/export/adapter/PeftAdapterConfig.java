package io.ortune.export.adapter;

import io.ortune.graph.peft.LayerRange;
import io.ortune.graph.peft.PeftMethod;
import io.ortune.graph.peft.TargetSpec;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * PEFT's {@code adapter_config.json} as a record, the fields that decide the math typed, every other field kept as
 * read in {@link #other()} (so a PEFT file survives a round trip). {@link PeftConfigJson} maps it to and from JSON.
 *
 * @param peftType            {@code LORA}, {@code IA3}, {@code PROMPT_TUNING}, {@code PREFIX_TUNING} (Python PEFT)
 *                            or {@code BOTTLENECK_ADAPTER} (ortune only)
 * @param taskType            {@code CAUSAL_LM}, {@code SEQ_CLS}, ... or null
 * @param baseModelNameOrPath the base model's name or path, or null
 * @param r                   LoRA rank (0 for methods without one)
 * @param loraAlpha           LoRA alpha
 * @param loraDropout         LoRA dropout probability (training only)
 * @param targets             {@code target_modules}: a list of module-name suffixes or one regular expression
 * @param fanInFanOut         the base weights are stored {@code [in, out]} (GPT-2 Conv1D)
 * @param useRslora           scale by {@code alpha/sqrt(r)} instead of {@code alpha/r}
 * @param useDora             DoRA (weight-decomposed LoRA), stored with {@code peft_type} LORA
 * @param rankPattern         module-name pattern to rank, overriding {@code r}
 * @param alphaPattern        module-name pattern to alpha, overriding {@code lora_alpha}
 * @param layersToTransform   the layers adapted (empty: all)
 * @param initLoraWeights     {@code true}, {@code false} or an init name ({@code gaussian}); no effect on loading
 * @param bias                {@code none}, {@code all} or {@code lora_only}
 * @param modulesToSave       modules trained in full and saved whole (unsupported by ortune)
 * @param feedforwardModules  IA3: the modules whose input (not output) is scaled
 * @param numVirtualTokens    prompt and prefix tuning: virtual token count (0 otherwise)
 * @param other               every other field, as read (JSON values as Java maps, lists, strings, numbers, booleans)
 */
public record PeftAdapterConfig(String peftType, String taskType, String baseModelNameOrPath, int r, double loraAlpha,
                                double loraDropout, Targets targets, boolean fanInFanOut, boolean useRslora,
                                boolean useDora, Map<String, Integer> rankPattern, Map<String, Double> alphaPattern,
                                List<Integer> layersToTransform, String initLoraWeights, String bias,
                                List<String> modulesToSave, List<String> feedforwardModules, int numVirtualTokens,
                                Map<String, Object> other) {

    /** The {@code peft_type} values ortune reads and writes. */
    public static final Set<String> PEFT_TYPES = Collections.unmodifiableSet(new TreeSet<>(List.of(
            "LORA", "IA3", "PROMPT_TUNING", "PREFIX_TUNING", "BOTTLENECK_ADAPTER")));

    /**
     * PEFT's {@code target_modules}: a list of module-name suffixes, or (written as one string) a regular expression
     * matched against the whole module path.
     *
     * @param modules the list form (empty when {@code regex} is given or there are no targets)
     * @param regex   the string form, or null
     */
    public record Targets(List<String> modules, String regex) {
        public Targets {
            modules = List.copyOf(modules);
        }

        public static Targets of(List<String> modules) {
            return new Targets(modules, null);
        }

        public static Targets ofRegex(String regex) {
            return new Targets(List.of(), regex);
        }

        public static Targets none() {
            return new Targets(List.of(), null);
        }

        public boolean isEmpty() {
            return modules.isEmpty() && regex == null;
        }

        /** The same selection as a {@link TargetSpec} ({@code all-linear} stays {@code all-linear}). */
        public TargetSpec toTargetSpec() {
            if (regex != null) {
                return regex.equals(TargetSpec.ALL_LINEAR) ? TargetSpec.parse(TargetSpec.ALL_LINEAR)
                        : TargetSpec.parse(TargetSpec.REGEX_PREFIX + regex);
            }
            return TargetSpec.ofModules(modules);
        }

        /** From ortune's target text ({@code q_proj,v_proj}, {@code re:REGEX}, {@code all-linear}). */
        public static Targets fromSpec(String spec) {
            String s = spec.trim();
            if (s.equals(TargetSpec.ALL_LINEAR)) {
                return ofRegex(TargetSpec.ALL_LINEAR);
            }
            if (s.startsWith(TargetSpec.REGEX_PREFIX)) {
                return ofRegex(s.substring(TargetSpec.REGEX_PREFIX.length()));
            }
            return of(TargetSpec.parse(s).suffixes());
        }

        @Override
        public String toString() {
            return regex != null ? regex : String.join(",", modules);
        }
    }

    public PeftAdapterConfig {
        rankPattern = Collections.unmodifiableMap(new LinkedHashMap<>(rankPattern));
        alphaPattern = Collections.unmodifiableMap(new LinkedHashMap<>(alphaPattern));
        layersToTransform = List.copyOf(layersToTransform);
        modulesToSave = List.copyOf(modulesToSave);
        feedforwardModules = List.copyOf(feedforwardModules);
        other = Collections.unmodifiableMap(new LinkedHashMap<>(other));
        List<String> issues = ConfigChecks.invalid(peftType, r, loraAlpha, loraDropout, targets, useDora, rankPattern,
                alphaPattern, layersToTransform, bias, feedforwardModules, numVirtualTokens);
        if (!issues.isEmpty()) {
            throw new AdapterException("adapter config", issues);
        }
    }

    /** A LoRA config with PEFT's defaults for everything not given. */
    public static PeftAdapterConfig lora(Targets targets, int r, double alpha) {
        return new PeftAdapterConfig("LORA", null, null, r, alpha, 0.0, targets, false, false, false, Map.of(),
                Map.of(), List.of(), "true", "none", List.of(), List.of(), 0, Map.of());
    }

    /** The ortune method: {@code LORA} with {@code use_dora} is DoRA. */
    public PeftMethod method() {
        return switch (peftType) {
            case "LORA" -> useDora ? PeftMethod.DORA : PeftMethod.LORA;
            case "IA3" -> PeftMethod.IA3;
            case "PROMPT_TUNING" -> PeftMethod.PROMPT;
            case "PREFIX_TUNING" -> PeftMethod.PREFIX;
            case "BOTTLENECK_ADAPTER" -> PeftMethod.ADAPTER;
            default -> throw new IllegalStateException("unchecked peft_type " + peftType);
        };
    }

    /** The rank of {@code module}: the first {@code rank_pattern} key matching it, else {@code r}. */
    public int rankOf(String module) {
        return patternKey(rankPattern.keySet(), module).map(rankPattern::get).orElse(r);
    }

    /** The alpha of {@code module}: the first {@code alpha_pattern} key matching it, else {@code lora_alpha}. */
    public double alphaOf(String module) {
        return patternKey(alphaPattern.keySet(), module).map(alphaPattern::get).orElse(loraAlpha);
    }

    /** LoRA's scale for {@code module}: {@code alpha/r}, or {@code alpha/sqrt(r)} with rsLoRA. */
    public double scalingOf(String module) {
        int rank = rankOf(module);
        double alpha = alphaOf(module);
        return useRslora ? alpha / Math.sqrt(rank) : alpha / rank;
    }

    /**
     * PEFT's pattern lookup: a key matches a module path when the path ends with it on a component boundary, the key
     * read as a regular expression ({@code (.*\.)?(KEY)$}).
     */
    static Optional<String> patternKey(Iterable<String> keys, String module) {
        for (String k : keys) {
            if (Pattern.compile("(.*\\.)?(" + k + ")$").matcher(module).matches()) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    /** {@code layers_to_transform} as a {@link LayerRange}, empty when every layer is adapted. */
    public Optional<LayerRange> layers() {
        if (layersToTransform.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(LayerRange.parse(layersToTransform.stream().map(String::valueOf)
                .collect(Collectors.joining(","))));
    }

    /**
     * Fails naming each field whose value changes the math in a way ortune does not reproduce ({@code bias} other
     * than {@code none}, {@code modules_to_save}, {@code layer_replication}, {@code lora_bias}, ...).
     *
     * @param source the file or folder, for the message
     */
    public void requireSupported(String source) {
        List<String> issues = new ArrayList<>(ConfigChecks.unsupported(this));
        if (!issues.isEmpty()) {
            throw new AdapterException(source, issues);
        }
    }

    /** A copy with {@code base_model_name_or_path} set. */
    public PeftAdapterConfig withBaseModel(String nameOrPath) {
        return new PeftAdapterConfig(peftType, taskType, nameOrPath, r, loraAlpha, loraDropout, targets, fanInFanOut,
                useRslora, useDora, rankPattern, alphaPattern, layersToTransform, initLoraWeights, bias,
                modulesToSave, feedforwardModules, numVirtualTokens, other);
    }

    /** A copy with {@code task_type} set. */
    public PeftAdapterConfig withTaskType(String task) {
        return new PeftAdapterConfig(peftType, task, baseModelNameOrPath, r, loraAlpha, loraDropout, targets,
                fanInFanOut, useRslora, useDora, rankPattern, alphaPattern, layersToTransform, initLoraWeights, bias,
                modulesToSave, feedforwardModules, numVirtualTokens, other);
    }

    /** Checks that {@code regex} compiles, naming {@code field}. */
    static String regexProblem(String field, String regex) {
        try {
            Pattern.compile(regex);
            return null;
        } catch (PatternSyntaxException e) {
            return field + ": '" + regex + "' is not a valid regular expression: " + e.getDescription();
        }
    }
}
