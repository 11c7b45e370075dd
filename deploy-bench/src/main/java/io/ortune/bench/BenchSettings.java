package io.ortune.bench;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link GenerationBenchmark} measures and how.
 *
 * @param models       which models: {@code stories260K}, {@code gpt2-small}
 * @param threads      ONNX Runtime intra-op threads and {@code torch.set_num_threads}
 * @param promptLength prompt tokens (batch 1)
 * @param newTokens    tokens generated per decode run (the first comes from the prefill)
 * @param warmup       untimed prefill runs before the timed ones
 * @param runs         timed prefill runs (the median is reported)
 * @param decodeRuns   timed generation runs (the median is reported)
 * @param stories      the llama2.c checkpoint for stories260K
 * @param workDir      where the built models are written
 * @param python       the Python with torch, or null to skip the PyTorch column
 * @param torchScript  {@code tools/torch_bench.py}
 */
public record BenchSettings(List<String> models, int threads, int promptLength, int newTokens, int warmup, int runs,
                            int decodeRuns, Path stories, Path workDir, Path python, Path torchScript) {

    /** The models this benchmark knows. */
    public static final List<String> KNOWN_MODELS = List.of("stories260K", "gpt2-small");

    public BenchSettings {
        models = List.copyOf(models);
        for (String m : models) {
            if (!KNOWN_MODELS.contains(m)) {
                throw new IllegalArgumentException("unknown benchmark model '" + m + "' (known: " + KNOWN_MODELS + ")");
            }
        }
        if (threads < 1 || promptLength < 1 || newTokens < 2 || warmup < 0 || runs < 1 || decodeRuns < 1) {
            throw new IllegalArgumentException("need threads >= 1, prompt length >= 1, new tokens >= 2, warm-up >= 0"
                    + " and runs >= 1");
        }
    }

    /** The defaults: both models, 2 threads, 128-token prompt, 64 new tokens, 3 warm-ups, 10 runs, 3 decode runs. */
    public static BenchSettings defaults(Path repoRoot, Path workDir) {
        return new BenchSettings(KNOWN_MODELS, 2, 128, 64, 3, 10, 3,
                repoRoot.resolve("testdata/models/stories260K-upstream.bin"), workDir, Path.of("/usr/bin/python3"),
                repoRoot.resolve("tools/torch_bench.py"));
    }
}
