package io.ortune.export.merge;

import java.util.Arrays;
import java.util.Locale;

/**
 * How several adapters' task vectors ΔWᵢ = sᵢ·Bᵢ·Aᵢ (or DoRA/IA3's folded change) combine, with weights wᵢ; the
 * definitions are PEFT's {@code merge_utils}, applied to full ΔWᵢ per module, never to A and B separately.
 */
public enum Combination {
    /** Σ wᵢ·ΔWᵢ. */
    LINEAR("linear"),
    /** Σ wᵢ·ΔWᵢ, exactly; as an adapter, the factors stacked (rank Σ rᵢ). */
    CAT("cat"),
    /** Σ wᵢ·ΔWᵢ truncated to the top {@code --svd-rank} singular triplets. */
    SVD("svd"),
    /** Trim each ΔWᵢ to its top {@code int(density·numel)} magnitudes, elect a sign, disjoint mean of wᵢ·ΔWᵢ. */
    TIES("ties"),
    /** Drop entries with probability 1 − density (seeded), rescale by 1/density, Σ wᵢ·ΔWᵢ. */
    DARE_LINEAR("dare_linear"),
    /** DARE's random drop and rescale, then TIES's sign election and disjoint mean. */
    DARE_TIES("dare_ties"),
    /** Trim each ΔWᵢ to its top {@code int(density·numel)} magnitudes, then Σ wᵢ·ΔWᵢ. */
    MAGNITUDE_PRUNE("magnitude_prune"),
    /** Task arithmetic: Σ λᵢ·ΔWᵢ of the full deltas, λ negative to subtract a task. */
    TASK_ARITHMETIC("task_arithmetic");

    private final String cliName;

    Combination(String cliName) {
        this.cliName = cliName;
    }

    /** The name {@code --combination} takes. */
    public String cliName() {
        return cliName;
    }

    /** Whether {@code --density} applies. */
    public boolean usesDensity() {
        return this == TIES || this == DARE_LINEAR || this == DARE_TIES || this == MAGNITUDE_PRUNE;
    }

    /** Whether a sign is elected ({@code --majority-sign}). */
    public boolean electsSign() {
        return this == TIES || this == DARE_TIES;
    }

    /** Whether entries are dropped at random ({@code --seed}). */
    public boolean random() {
        return this == DARE_LINEAR || this == DARE_TIES;
    }

    public static Combination parse(String s) {
        for (Combination c : values()) {
            if (c.cliName.equals(s.toLowerCase(Locale.ROOT))) {
                return c;
            }
        }
        throw new MergeException("--combination " + s + " is not known; use one of "
                + Arrays.stream(values()).map(Combination::cliName).toList());
    }
}
