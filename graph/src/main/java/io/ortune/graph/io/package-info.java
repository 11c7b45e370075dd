/**
 * {@link io.ortune.graph.io.AtomicFiles}, the one write-then-rename utility of every module,
 * {@link io.ortune.graph.io.ReadableFiles}, the checks (with causes) on paths about to be read, and companion file
 * formats and debugging aids that work on the IR alone: NumPy {@code .npy} tensors
 * ({@link io.ortune.graph.io.NpyFiles}) and the text form of a model ({@link io.ortune.graph.io.ModelPrinter}),
 * which round-trip tests compare.
 */
package io.ortune.graph.io;
