/**
 * Adapter files that travel between ortune and Python PEFT: a folder with {@code adapter_config.json}
 * ({@link io.ortune.export.adapter.PeftAdapterConfig}, {@link io.ortune.export.adapter.PeftConfigJson}) and
 * {@code adapter_model.safetensors} under PEFT's keys ({@link io.ortune.export.adapter.AdapterKeys}), read and written
 * by {@link io.ortune.export.adapter.PeftAdapterFiles}, checked by {@link io.ortune.export.adapter.AdapterChecks}, and
 * moved in and out of models by {@link io.ortune.export.adapter.PeftAdapters}.
 */
package io.ortune.export.adapter;
