package io.ortune.bench.train;

import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.TargetSpec;
import io.ortune.training.autodiff.TrainableSet;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * Which parameters train, named as tools/torch_bench.py names its {@code --trainable} choices.
 *
 * <p>{@link #LAST2} is the script's definition exactly: only {@code h[-2]}, {@code h[-1]} and {@code ln_f} train
 * (for GPT-2 small: {@code transformer.h.10.*}, {@code transformer.h.11.*}, {@code transformer.ln_f.*}); the token
 * embedding {@code wte} (also the tied LM head), the position embedding {@code wpe} and blocks {@code 0..n-3} are
 * frozen.
 *
 * <p>The LoRA settings inject r {@value #LORA_R}, α {@value #LORA_ALPHA} (scale α/r = 2), dropout 0 adapters with
 * {@link io.ortune.graph.peft.LoraPass}; the base is frozen and only the adapters' A and B train (the set the pass
 * records, as the trainer reads it). {@link #LORA_QV} is PEFT's "q,v" on GPT-2: GPT-2 has no separate q and v
 * projections, its {@code attn.c_attn} computes q, k and v in one fused Conv1D, and PEFT's default GPT-2 target is
 * {@code c_attn}; so one adapter per block on {@code c_attn} (which also adapts k). {@link #LORA_ALL} is PEFT's
 * {@code all-linear}: {@code c_attn}, {@code attn.c_proj}, {@code mlp.c_fc}, {@code mlp.c_proj} of every block,
 * the LM head (tied to {@code wte}) left out.
 */
public enum TrainMode {
    /** Every parameter trains. */
    FULL("full", null),
    /** Only the last two transformer blocks and the final LayerNorm train. */
    LAST2("last2", null),
    /** LoRA on {@code c_attn} (PEFT's q,v on GPT-2), base frozen. */
    LORA_QV("lora-qv", "c_attn"),
    /** LoRA on every block linear (PEFT's all-linear), base frozen. */
    LORA_ALL("lora-all", TargetSpec.ALL_LINEAR);

    /** LoRA rank of the LoRA settings. */
    public static final int LORA_R = 16;
    /** LoRA alpha of the LoRA settings. */
    public static final double LORA_ALPHA = 32;

    private final String cliName;
    private final String loraTargets;

    TrainMode(String cliName, String loraTargets) {
        this.cliName = cliName;
        this.loraTargets = loraTargets;
    }

    /** Whether this setting injects LoRA adapters (base frozen). */
    public boolean lora() {
        return loraTargets != null;
    }

    /** The LoRA config of a LoRA setting. */
    public LoraConfig loraConfig(long seed) {
        if (loraTargets == null) {
            throw new IllegalStateException(cliName + " is not a LoRA setting");
        }
        return LoraConfig.of(loraTargets).withR(LORA_R).withAlpha(LORA_ALPHA).withSeed(seed);
    }

    /** The per-block GPT-2 modules a LoRA setting adapts (empty for the others). */
    public java.util.List<String> loraModules() {
        if (this == LORA_QV) {
            return java.util.List.of("attn.c_attn");
        }
        if (this == LORA_ALL) {
            return java.util.List.of("attn.c_attn", "attn.c_proj", "mlp.c_fc", "mlp.c_proj");
        }
        return java.util.List.of();
    }

    /** The name tools/torch_bench.py uses ({@code full}, {@code last2}, {@code lora-qv}, {@code lora-all}). */
    public String cliName() {
        return cliName;
    }

    /**
     * The number of trailing transformer blocks a gradient crosses, for a model of {@code layers} blocks (every block
     * for LoRA: its adapters sit in all of them).
     */
    public int trainedBlocks(int layers) {
        return this == LAST2 ? Math.min(2, layers) : layers;
    }

    /** Whether the base weights of the trained blocks train (false for LoRA: only the adapters do). */
    public boolean trainsBaseWeights() {
        return !lora();
    }

    /** Whether the embeddings (and so the tied LM head) train. */
    public boolean trainsEmbeddings() {
        return this == FULL;
    }

    /**
     * The ortune trainable set for a GPT-2 of {@code layers} blocks (Hugging Face weight names); LoRA settings take
     * theirs from the injected model instead.
     */
    public TrainableSet trainable(int layers) {
        if (lora()) {
            throw new IllegalStateException(cliName + ": a LoRA setting trains the set LoraPass records");
        }
        if (this == FULL) {
            return TrainableSet.all();
        }
        String blocks = java.util.stream.IntStream.range(layers - trainedBlocks(layers), layers)
                .mapToObj(Integer::toString).collect(Collectors.joining("|"));
        return TrainableSet.matching("transformer\\.(h\\.(" + blocks + ")|ln_f)\\..+");
    }

    /** The mode named {@code name}. */
    public static TrainMode parse(String name) {
        for (TrainMode m : values()) {
            if (m.cliName.equals(name)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown training mode '" + name + "' (known: "
                + Arrays.stream(values()).map(TrainMode::cliName).collect(Collectors.joining(", ")) + ")");
    }
}
