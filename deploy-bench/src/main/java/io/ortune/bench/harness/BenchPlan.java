package io.ortune.bench.harness;

import java.nio.file.Path;
import java.util.List;

/**
 * What {@link BenchRunner} measures: every model on every backend at every batch × sequence length.
 *
 * <pre>{@code
 * BenchPlan plan = BenchPlan.builder(List.of(Path.of("fp32.onnx"), Path.of("int8.onnx")))
 *         .batches(List.of(1, 8)).seqs(List.of(128)).measure(new Measure.Runs(50)).threads(2).build();
 * BenchResults r = BenchRunner.run(plan, System.err);
 * r.write(Path.of("bench-out"));
 * }</pre>
 *
 * @param models     the model files, the first being the baseline of the ratios
 * @param backends   where to run them
 * @param batches    batch sizes of the sweep
 * @param seqs       sequence lengths of the sweep (prompt length with generation)
 * @param warmup     untimed runs before each measurement
 * @param measure    how many timed runs
 * @param threads    intra-op threads (0 = the runtime's choice)
 * @param generation generation settings, or null to time single forward passes
 * @param busyLoad   CPU cores kept busy by other processes (sampled over 1 s before each model, see
 *                   {@code OtherCpuUse}) above which a result is flagged as measured on a busy machine
 * @param seed       seed of the random token ids
 */
public record BenchPlan(List<Path> models, List<Backend> backends, List<Integer> batches, List<Integer> seqs,
                        Warmup warmup, Measure measure, int threads, Generation generation, double busyLoad,
                        long seed) {

    /**
     * Generation mode: each timed run generates {@code newTokens} tokens greedily after the prompt.
     *
     * @param newTokens tokens per run, at least 2 (TPOT needs a token after the first)
     */
    public record Generation(int newTokens) {
        public Generation {
            if (newTokens < 2) {
                throw new IllegalArgumentException("--new-tokens must be >= 2 (time per output token needs a token"
                        + " after the first), got " + newTokens);
            }
        }
    }

    public BenchPlan {
        models = List.copyOf(models);
        backends = List.copyOf(backends);
        batches = List.copyOf(batches);
        seqs = List.copyOf(seqs);
        if (models.isEmpty()) {
            throw new IllegalArgumentException("no model to benchmark: give at least one .onnx file");
        }
        if (backends.isEmpty() || batches.isEmpty() || seqs.isEmpty()) {
            throw new IllegalArgumentException("need at least one backend, one --batch and one --seq");
        }
        for (int b : batches) {
            require(b >= 1, "--batch values must be >= 1, got " + batches);
        }
        for (int s : seqs) {
            require(s >= 1, "--seq values must be >= 1, got " + seqs);
        }
        require(threads >= 0, "--threads must be >= 0 (0 = ONNX Runtime's choice), got " + threads);
        require(busyLoad > 0, "busy load threshold must be > 0, got " + busyLoad);
    }

    private static void require(boolean ok, String message) {
        if (!ok) {
            throw new IllegalArgumentException(message);
        }
    }

    /** A builder with the defaults: CPU, batch 1, seq 128, 5 warm-up runs, 20 runs, 2 threads, no generation. */
    public static Builder builder(List<Path> models) {
        return new Builder(models);
    }

    /** Builds a {@link BenchPlan}. */
    public static final class Builder {
        private final List<Path> models;
        private List<Backend> backends = List.of(new OrtCpuBackend());
        private List<Integer> batches = List.of(1);
        private List<Integer> seqs = List.of(128);
        private Warmup warmup = new Warmup.Runs(5);
        private Measure measure = new Measure.Runs(20);
        private int threads = 2;
        private Generation generation;
        private double busyLoad = Math.max(0.5, Runtime.getRuntime().availableProcessors() * 0.25);
        private long seed;

        private Builder(List<Path> models) {
            this.models = models;
        }

        public Builder backends(List<Backend> v) {
            backends = v;
            return this;
        }

        public Builder batches(List<Integer> v) {
            batches = v;
            return this;
        }

        public Builder seqs(List<Integer> v) {
            seqs = v;
            return this;
        }

        public Builder warmup(Warmup v) {
            warmup = v;
            return this;
        }

        public Builder measure(Measure v) {
            measure = v;
            return this;
        }

        public Builder threads(int v) {
            threads = v;
            return this;
        }

        public Builder generation(Generation v) {
            generation = v;
            return this;
        }

        public Builder busyLoad(double v) {
            busyLoad = v;
            return this;
        }

        public Builder seed(long v) {
            seed = v;
            return this;
        }

        public BenchPlan build() {
            return new BenchPlan(models, backends, batches, seqs, warmup, measure, threads, generation, busyLoad,
                    seed);
        }
    }
}
