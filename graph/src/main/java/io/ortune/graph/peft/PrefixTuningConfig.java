package io.ortune.graph.peft;

/**
 * Settings of prefix tuning (PEFT's {@code PrefixTuningConfig}).
 *
 * @param adapterName         the adapter's name ({@code default})
 * @param numVirtualTokens    P, the prefix length per layer ({@code num_virtual_tokens})
 * @param reparameterize      PEFT's {@code prefix_projection}: the prefix is {@code MLP(embedding)} (Linear, Tanh,
 *                            Linear) instead of the embedding itself
 * @param encoderHiddenSize   the MLP's hidden width ({@code encoder_hidden_size}); ignored without reparameterization
 * @param seed                seed of the initial values
 */
public record PrefixTuningConfig(String adapterName, int numVirtualTokens, boolean reparameterize,
                                 int encoderHiddenSize, long seed) {

    public PrefixTuningConfig {
        PeftMetadata.checkName(adapterName, "adapter name");
        if (numVirtualTokens < 1) {
            throw new IllegalArgumentException("prefix tuning needs at least one virtual token, got "
                    + numVirtualTokens);
        }
        if (reparameterize && encoderHiddenSize < 1) {
            throw new IllegalArgumentException("prefix reparameterization needs an encoder hidden size of at least 1, "
                    + "got " + encoderHiddenSize);
        }
    }

    /** {@code p} virtual tokens, no reparameterization, seed 0. */
    public static PrefixTuningConfig of(int p) {
        return new PrefixTuningConfig("default", p, false, 0, 0);
    }

    /** With PEFT's {@code prefix_projection} through an MLP of width {@code hidden}. */
    public PrefixTuningConfig withReparameterization(int hidden) {
        return new PrefixTuningConfig(adapterName, numVirtualTokens, true, hidden, seed);
    }

    public PrefixTuningConfig withSeed(long s) {
        return new PrefixTuningConfig(adapterName, numVirtualTokens, reparameterize, encoderHiddenSize, s);
    }

    public PrefixTuningConfig withAdapterName(String name) {
        return new PrefixTuningConfig(name, numVirtualTokens, reparameterize, encoderHiddenSize, seed);
    }
}
