/**
 * Building ONNX graphs in code: {@link io.ortune.graph.build.GraphBuilder} (typed ops, checked and typed as they
 * are built), {@link io.ortune.graph.build.NameScope} (module-path naming) and
 * {@link io.ortune.graph.build.OpSchemas} (the per-op checking and type-inference rules, shared with validation).
 */
package io.ortune.graph.build;
