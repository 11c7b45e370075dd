package io.ortune.pipeline.config;

/**
 * {@code merge:} folds the trained adapter into the base weights ({@code Merges.mergeAndUnload}).
 *
 * @param check compare merged and unmerged outputs on held-out rows (true)
 * @param into  QLoRA: {@code dequantized} (the default) folds into the dequantized NF4 weights, exactly what was
 *              trained; {@code base} folds into the base stage's float weights (the base's own layout, so decoders
 *              rebuild into their KV-cache form for the generation bench; the check then measures QLoRA's
 *              train/inference mismatch)
 */
public record MergeSection(Boolean check, String into) {

    /** The merge targets it knows. */
    public static final java.util.List<String> INTO = java.util.List.of("dequantized", "base");

    /** {@code into}, or {@code dequantized}. */
    public String intoOr() {
        return into == null ? "dequantized" : into;
    }
}
