package io.ortune.bench.train;

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
 */
public enum TrainMode {
    /** Every parameter trains. */
    FULL("full"),
    /** Only the last two transformer blocks and the final LayerNorm train. */
    LAST2("last2");

    private final String cliName;

    TrainMode(String cliName) {
        this.cliName = cliName;
    }

    /** The name tools/torch_bench.py uses ({@code full}, {@code last2}). */
    public String cliName() {
        return cliName;
    }

    /** The number of trailing transformer blocks that train, for a model of {@code layers} blocks. */
    public int trainedBlocks(int layers) {
        return this == FULL ? layers : Math.min(2, layers);
    }

    /** Whether the embeddings (and so the tied LM head) train. */
    public boolean trainsEmbeddings() {
        return this == FULL;
    }

    /** The ortune trainable set for a GPT-2 of {@code layers} blocks (Hugging Face weight names). */
    public TrainableSet trainable(int layers) {
        if (this == FULL) {
            return TrainableSet.all();
        }
        String blocks = java.util.stream.IntStream.range(layers - trainedBlocks(layers), layers)
                .mapToObj(Integer::toString).collect(Collectors.joining("|"));
        return TrainableSet.matching("transformer\\.(h\\.(" + blocks + ")|ln_f)\\..+");
    }

    /** The mode named {@code name} ({@code full} or {@code last2}). */
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
