/**
 * Model architectures as graph builders: GPT-2 ({@code gpt2}), the Llama family ({@code llama}: Llama 2/3,
 * Mistral, Qwen2) and a BERT-style sequence classifier ({@code bert}), each built from a Hugging Face config with
 * standard ONNX ops (opset 17, float32), weights as initializers under their checkpoint names.
 *
 * <p>Entry points: {@link io.ortune.models.arch.ModelFactory} (Hugging Face or llama2.c checkpoints, seeded random
 * weights, ortune-built ONNX files) and {@link io.ortune.models.arch.ModelForms} (rebuild the training or KV-cache
 * {@link io.ortune.models.arch.Form} from a model's own weights). Graph interfaces are described in
 * {@link io.ortune.models.arch.ModelIo}, metadata keys in {@link io.ortune.models.arch.ModelMetadata}.
 */
package io.ortune.models.arch;
