/**
 * Adapter merging: {@link io.ortune.export.merge.Merges#mergeAndUnload} folds LoRA, rsLoRA, DoRA and IA3 adapters
 * (QLoRA's NF4 base dequantized first, or the float base given) into the weights and gives back a plain model shaped
 * like the base; {@link io.ortune.export.merge.Merges#combine} and {@link io.ortune.export.merge.Merges#toAdapter}
 * combine several adapters on their task vectors with PEFT's {@code merge_utils} definitions. Folds are computed in
 * float64 and rounded once.
 */
package io.ortune.export.merge;
