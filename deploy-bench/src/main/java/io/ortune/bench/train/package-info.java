/**
 * Training throughput benchmark: a GPT-2-small-shaped model (124M) trained through ONNX Runtime's training API with
 * ortune's own artifacts, full fine-tuning and frozen-all-but-the-last-two-blocks, each setting in its own child JVM
 * (tokens/s from the median step time, peak RSS), the achieved FLOP/s as a fraction of this machine's measured
 * float32 MatMul peak ({@link io.ortune.bench.train.TrainingFlops}), and PyTorch eager
 * ({@code tools/torch_bench.py train}) in the same run. Entry point: {@link io.ortune.bench.train.TrainBenchmark}.
 */
package io.ortune.bench.train;
