/**
 * Training objectives appended to a model's training form.
 *
 * <p>{@link io.ortune.training.objective.CausalLmObjective} adds Hugging Face's causal-LM loss (shift by one,
 * {@code SoftmaxCrossEntropyLoss} with {@code ignore_index=-100}, mean over the labelled tokens) and a
 * {@code loss_scale} input the trainer uses for token-weighted gradient accumulation;
 * {@link io.ortune.training.objective.Perplexity} turns per-batch mean losses into a token-weighted perplexity.
 */
package io.ortune.training.objective;
