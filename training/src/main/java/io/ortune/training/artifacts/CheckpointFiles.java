package io.ortune.training.artifacts;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What {@link CheckpointWriter} wrote.
 *
 * @param checkpoint    the flatbuffer file
 * @param externalData  {@code <checkpoint>.data} when tensor bytes went to a side file
 * @param inlineBytes   tensor bytes stored inside the flatbuffer
 * @param externalBytes tensor bytes stored in the side file (padding included)
 */
public record CheckpointFiles(Path checkpoint, Optional<Path> externalData, long inlineBytes, long externalBytes) { }
