/**
 * Training data for causal language models: reading, tokenizing, labelling, packing or padding, splitting,
 * shuffling and batching.
 *
 * <p>{@link io.ortune.training.data.DatasetLoader} reads one file in any {@link io.ortune.training.data.DataFormat}
 * (plain text, JSONL with {@code text}, pre-tokenized JSONL with {@code input_ids} and optional {@code labels},
 * Alpaca instruction data as a JSON array or JSONL) into {@link io.ortune.training.data.Example}s, reporting what it
 * skipped and truncated in a {@link io.ortune.training.data.LoadReport}. {@link io.ortune.training.data.Rows} packs
 * examples into full blocks or keeps one example per row; {@link io.ortune.training.data.Splits} makes a seeded
 * train/eval split; {@link io.ortune.training.data.BatchStream} walks the rows in a seeded order per epoch, with a
 * position that can be saved and restored; {@link io.ortune.training.data.Collator} pads rows into a
 * {@link io.ortune.training.data.Batch} with attention mask and labels.
 */
package io.ortune.training.data;
