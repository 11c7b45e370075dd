package io.ortune.bench.harness;

import java.util.List;

/**
 * The plan as recorded in {@code results.json} ({@code settings}).
 *
 * @param backends          backend names asked for
 * @param batches           batch sizes
 * @param seqs              sequence lengths
 * @param warmup            warm-up as described ({@code 5 runs}, {@code 2.0 s})
 * @param measure           timed runs as described
 * @param threads           intra-op threads (0 = the runtime's choice)
 * @param interOpThreads    inter-op threads (always 1: sequential execution)
 * @param generateNewTokens tokens per generation run, or 0 for forward passes
 * @param busyLoad          busy-flag threshold: cores used by other processes in the second before a model
 * @param seed              seed of the random token ids
 */
public record BenchSettingsRecord(List<String> backends, List<Integer> batches, List<Integer> seqs, String warmup,
                                  String measure, int threads, int interOpThreads, int generateNewTokens,
                                  double busyLoad, long seed) {

    public BenchSettingsRecord {
        backends = List.copyOf(backends);
        batches = List.copyOf(batches);
        seqs = List.copyOf(seqs);
    }

    static BenchSettingsRecord of(BenchPlan p) {
        return new BenchSettingsRecord(p.backends().stream().map(Backend::name).toList(), p.batches(), p.seqs(),
                p.warmup().describe(), p.measure().describe(), p.threads(), 1,
                p.generation() == null ? 0 : p.generation().newTokens(), p.busyLoad(), p.seed());
    }
}
