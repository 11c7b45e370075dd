package io.ortune.graph.peft;

import java.util.Arrays;

/**
 * Settings of prompt tuning (PEFT's {@code PromptTuningConfig}).
 *
 * @param adapterName      the adapter's name ({@code default})
 * @param numVirtualTokens N, the number of learned prompt rows ({@code num_virtual_tokens})
 * @param init             how the rows start ({@code prompt_tuning_init})
 * @param initTokenIds     for {@link Init#TEXT}: the token ids of the init text (tokenized by the caller), repeated
 *                         or truncated to N as PEFT does; empty otherwise
 * @param seed             seed of the {@link Init#RANDOM} draws and of the {@link Init#VOCAB} sample
 */
public record PromptTuningConfig(String adapterName, int numVirtualTokens, Init init, long[] initTokenIds,
                                 long seed) {

    /** How the prompt rows are initialised. */
    public enum Init {
        /** normal(0, 1), as PEFT's {@code RANDOM} ({@code nn.Embedding}'s default initialisation). */
        RANDOM,
        /** the embedding rows of the given token ids, repeated/truncated to N ({@code TEXT}). */
        TEXT,
        /** N rows sampled (without replacement when the vocabulary allows) from the embedding table
         *  ({@code SAMPLE_VOCAB}). */
        VOCAB
    }

    public PromptTuningConfig {
        PeftMetadata.checkName(adapterName, "adapter name");
        if (numVirtualTokens < 1) {
            throw new IllegalArgumentException("prompt tuning needs at least one virtual token, got "
                    + numVirtualTokens);
        }
        if (init == null) {
            throw new IllegalArgumentException("prompt tuning needs an init (random, text or vocab)");
        }
        initTokenIds = initTokenIds == null ? new long[0] : initTokenIds.clone();
        if (init == Init.TEXT && initTokenIds.length == 0) {
            throw new IllegalArgumentException("prompt tuning init TEXT needs the init text's token ids");
        }
    }

    /** {@code n} virtual tokens, random init, seed 0. */
    public static PromptTuningConfig random(int n) {
        return new PromptTuningConfig("default", n, Init.RANDOM, null, 0);
    }

    /** {@code n} virtual tokens initialised from the embeddings of {@code tokenIds}. */
    public static PromptTuningConfig text(int n, long... tokenIds) {
        return new PromptTuningConfig("default", n, Init.TEXT, tokenIds, 0);
    }

    /** {@code n} virtual tokens initialised from rows sampled from the vocabulary with {@code seed}. */
    public static PromptTuningConfig vocab(int n, long seed) {
        return new PromptTuningConfig("default", n, Init.VOCAB, null, seed);
    }

    public PromptTuningConfig withAdapterName(String name) {
        return new PromptTuningConfig(name, numVirtualTokens, init, initTokenIds, seed);
    }

    public PromptTuningConfig withSeed(long s) {
        return new PromptTuningConfig(adapterName, numVirtualTokens, init, initTokenIds, s);
    }

    @Override
    public long[] initTokenIds() {
        return initTokenIds.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PromptTuningConfig c && c.adapterName.equals(adapterName)
                && c.numVirtualTokens == numVirtualTokens && c.init == init && Arrays.equals(c.initTokenIds,
                initTokenIds) && c.seed == seed;
    }

    @Override
    public int hashCode() {
        return (adapterName.hashCode() * 31 + numVirtualTokens) * 31 + Arrays.hashCode(initTokenIds);
    }

    @Override
    public String toString() {
        return "PromptTuningConfig[" + adapterName + ", " + numVirtualTokens + " virtual tokens, " + init
                + (init == Init.TEXT ? " " + Arrays.toString(initTokenIds) : "") + ", seed " + seed + "]";
    }
}
