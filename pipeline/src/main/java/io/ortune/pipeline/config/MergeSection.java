package io.ortune.pipeline.config;

/**
 * {@code merge:} folds the trained adapter into the base weights ({@code Merges.mergeAndUnload}).
 *
 * @param check compare merged and unmerged outputs on held-out rows (true)
 */
public record MergeSection(Boolean check) {
}
