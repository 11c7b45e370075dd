/**
 * Training objectives appended to a model's training form.
 *
 * <p>{@link io.ortune.training.objective.CausalLmObjective} adds Hugging Face's causal-LM loss (shift by one,
 * {@code SoftmaxCrossEntropyLoss} with {@code ignore_index=-100}, mean over the labelled tokens) and a
 * {@code loss_scale} input the trainer uses for token-weighted gradient accumulation;
 * {@link io.ortune.training.objective.Perplexity} turns per-batch mean losses into a token-weighted perplexity.
 *
 * <p>{@link io.ortune.training.objective.Objective} makes the trainer's objective pluggable
 * ({@link io.ortune.training.objective.Objectives}: {@code causal-lm}, {@code reward}, {@code classification}).
 * {@link io.ortune.training.objective.RewardModelObjective} (scalar head, pairwise Bradley–Terry loss, pairwise
 * accuracy, scoring model with output {@code score} [batch]) and
 * {@link io.ortune.training.objective.ClassificationObjective} (cross-entropy over N labels) put a head on the pooled
 * hidden states ({@link io.ortune.training.objective.Pooling}).
 */
package io.ortune.training.objective;
