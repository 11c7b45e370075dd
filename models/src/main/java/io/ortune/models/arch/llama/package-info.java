/**
 * The Llama family (Llama 2/3, Mistral, Qwen2): weight names ({@link io.ortune.models.arch.llama.LlamaWeights}),
 * RMSNorm, rotary embeddings with their scaling variants, grouped-query attention, the gated MLP and the builder.
 */
package io.ortune.models.arch.llama;
