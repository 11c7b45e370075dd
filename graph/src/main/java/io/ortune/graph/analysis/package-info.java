/**
 * Graph analyses and in-place utilities that passes are built from: topological order, producer/consumer index,
 * dead-code elimination, constant folding of shape computations, renaming, subgraph extraction and deep copies
 * ({@link io.ortune.graph.analysis.GraphCopier}). Utilities here mutate the graph they are given (except the
 * copier and the extractor); passes copy first.
 */
package io.ortune.graph.analysis;
