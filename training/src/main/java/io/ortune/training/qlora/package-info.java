/**
 * QLoRA's frozen base: NF4 block quantization ({@link io.ortune.training.qlora.Nf4}) with double quantization of the
 * scales ({@link io.ortune.training.qlora.DoubleQuant}), the rewrite of frozen linear layers to
 * {@code com.microsoft.MatMulBnb4} ({@link io.ortune.training.qlora.Nf4QuantizePass}), the in-graph dequantization
 * the backward pass uses ({@link io.ortune.training.qlora.Nf4Graph}), and the frozen state the trainer keeps in
 * the checkpoint ({@link io.ortune.training.qlora.Nf4State}).
 */
package io.ortune.training.qlora;
