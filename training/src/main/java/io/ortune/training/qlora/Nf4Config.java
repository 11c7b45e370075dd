package io.ortune.training.qlora;

/**
 * Settings of {@link Nf4QuantizePass}.
 *
 * @param blockSize   elements per absmax block (QLoRA: 64)
 * @param doubleQuant quantize the block scales again ({@link DoubleQuant})
 * @param includeHead also quantize the output head (default: left in float, as QLoRA does)
 */
public record Nf4Config(int blockSize, boolean doubleQuant, boolean includeHead) {

    public Nf4Config {
        Nf4.checkBlockSize(blockSize);
    }

    /** QLoRA's settings: block 64, no double quantization, head in float. */
    public static Nf4Config defaults() {
        return new Nf4Config(Nf4.DEFAULT_BLOCK_SIZE, false, false);
    }

    public Nf4Config withDoubleQuant(boolean on) {
        return new Nf4Config(blockSize, on, includeHead);
    }

    public Nf4Config withBlockSize(int size) {
        return new Nf4Config(size, doubleQuant, includeHead);
    }

    /** Bits per weight of the stored form: 4 plus the scales' share. */
    public double bitsPerParameter() {
        double scaleBits = doubleQuant ? 8.0 / blockSize + 32.0 / (blockSize * (double) DoubleQuant.BLOCK_SIZE)
                : 32.0 / blockSize;
        return 4 + scaleBits;
    }
}
