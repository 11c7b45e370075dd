/**
 * Hugging Face {@code config.json} as records: {@link io.ortune.models.config.Gpt2Config},
 * {@link io.ortune.models.config.LlamaConfig} (llama, mistral, qwen2), {@link io.ortune.models.config.BertConfig},
 * read by {@link io.ortune.models.config.ModelConfigs} and written back with
 * {@link io.ortune.models.config.ModelConfig#toJson()}.
 */
package io.ortune.models.config;
