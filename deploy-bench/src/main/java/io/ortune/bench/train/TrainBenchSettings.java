package io.ortune.bench.train;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link TrainBenchmark} measures and how. The defaults match {@code tools/torch_bench.py train}'s.
 *
 * @param modes          the settings to measure, each in its own child JVM
 * @param batch          sequences per step
 * @param seq            tokens per sequence
 * @param warmupSteps    untimed training steps first
 * @param steps          timed training steps (tokens/s uses their median)
 * @param threads        ONNX Runtime intra-op threads, and {@code torch.set_num_threads}
 * @param seed           seed of the weights and of the random token ids
 * @param lr             AdamW learning rate
 * @param weightDecay    AdamW weight decay (see {@link BenchArtifacts} for where ortune applies it)
 * @param ortGradKernels build the backward graph with ONNX Runtime's fused gradient kernels (the trainer's default)
 * @param memoryPattern  ONNX Runtime's memory-pattern planning in the training session (off by default, as in the
 *                       trainer: {@code Trainer.MEMORY_PATTERN})
 * @param matmulSize     n of the n×n×n float32 MatMul whose best time gives the peak FLOP/s
 * @param matmulRuns     timed MatMul runs (the best one counts)
 * @param childHeap      {@code -Xmx} of each child JVM (it holds only the token ids; ONNX Runtime's memory is native)
 * @param workDir        where artifacts and results are written
 * @param python         the Python with torch, or null to skip the PyTorch column
 * @param torchScript    {@code tools/torch_bench.py}
 */
public record TrainBenchSettings(List<TrainMode> modes, int batch, int seq, int warmupSteps, int steps, int threads,
                                 long seed, float lr, float weightDecay, boolean ortGradKernels,
                                 boolean memoryPattern, int matmulSize,
                                 int matmulRuns, String childHeap, Path workDir, Path python, Path torchScript) {

    public TrainBenchSettings {
        modes = List.copyOf(modes);
        if (modes.isEmpty()) {
            throw new IllegalArgumentException("no training mode to measure (known: full, last2, lora-qv, lora-all)");
        }
        if (batch < 1 || seq < 2 || warmupSteps < 0 || steps < 1 || threads < 1 || matmulSize < 1 || matmulRuns < 1) {
            throw new IllegalArgumentException("need batch >= 1, seq >= 2, warm-up steps >= 0, steps >= 1, "
                    + "threads >= 1, MatMul size >= 1 and MatMul runs >= 1; got batch " + batch + ", seq " + seq
                    + ", warm-up " + warmupSteps + ", steps " + steps + ", threads " + threads + ", MatMul "
                    + matmulSize + " x " + matmulRuns);
        }
        if (!(lr > 0) || !(weightDecay >= 0)) {
            throw new IllegalArgumentException("need lr > 0 and weight decay >= 0, got " + lr + ", " + weightDecay);
        }
    }

    /**
     * tools/torch_bench.py's defaults (every mode: full, last2, lora-qv, lora-all; batch 4 × 256, 2 threads, seed 0, AdamW lr 1e-4, weight decay
     * 0.01) except for the steps: 2 warm-up + 5 timed steps (the script's 1 + 3 left the first timed step still
     * allocating); ONNX Runtime gradient kernels on and memory pattern off, as in the trainer; a 2048³ MatMul, best of
     * 10.
     */
    public static TrainBenchSettings defaults(Path repoRoot, Path workDir) {
        return new TrainBenchSettings(List.of(TrainMode.values()), 4, 256, 2, 5, 2, 0, 1e-4f, 0.01f,
                true, io.ortune.training.trainer.Trainer.MEMORY_PATTERN, 2048, 10, "2g", workDir, Path.of("/usr/bin/python3"), repoRoot.resolve("tools/torch_bench.py"));
    }
}
