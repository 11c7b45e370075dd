/**
 * Benchmarks of deployable models. {@link io.ortune.bench.GenerationBenchmark}: prefill latency and decode
 * throughput of the generation loop in ONNX Runtime, side by side with PyTorch eager ({@code tools/torch_bench.py})
 * on the same models.
 */
package io.ortune.bench;
