/**
 * The latency harness behind {@code ortune bench}: {@link io.ortune.bench.harness.Backend}s (ONNX Runtime CPU and
 * CUDA, TensorRT), a {@link io.ortune.bench.harness.BenchPlan} (models, batch × sequence sweep, warm-up, runs,
 * threads, generation), {@link io.ortune.bench.harness.BenchRunner}, and the result files
 * ({@link io.ortune.bench.harness.ResultsJson}, {@link io.ortune.bench.harness.ResultsCsv}).
 */
package io.ortune.bench.harness;
