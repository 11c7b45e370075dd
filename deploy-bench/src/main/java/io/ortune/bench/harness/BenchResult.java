package io.ortune.bench.harness;

/**
 * One model on one backend at one batch × sequence length.
 *
 * @param model          the model's label (its file name)
 * @param path           the model file as given
 * @param backend        {@code cpu}, {@code cuda} or {@code tensorrt}
 * @param precision      {@link Precision} label
 * @param batch          rows per run
 * @param seq            tokens per row (the prompt with generation)
 * @param status         measured, or skipped with {@code skipReason}
 * @param skipReason     why it was skipped, or null
 * @param threads        intra-op threads (0 = the runtime's choice)
 * @param warmupRuns     untimed runs before the timed ones
 * @param warmupMs       their total wall time
 * @param latencyMs      per-run wall time (a whole generation with {@code generation}); null when skipped
 * @param throughputPerS rows per second: batch / mean latency
 * @param tokensPerS     batch · seq / mean latency (forward passes); 0 for generation
 * @param generation     generation figures, or null
 * @param loadBefore     the 1-minute load average just before this model was measured
 * @param busy           whether {@code loadBefore} was above the plan's busy threshold
 */
public record BenchResult(String model, String path, String backend, String precision, int batch, int seq,
                          Status status, String skipReason, int threads, int warmupRuns, double warmupMs,
                          LatencyStats latencyMs, double throughputPerS, double tokensPerS,
                          GenerationFigures generation, double loadBefore, boolean busy) {

    /** Whether a result was measured. */
    public enum Status { OK, SKIPPED }

    /** A skipped result. */
    static BenchResult skipped(String model, String path, String backend, String precision, int batch, int seq,
                               int threads, String reason, double load, boolean busy) {
        return new BenchResult(model, path, backend, precision, batch, seq, Status.SKIPPED, reason, threads, 0, 0,
                null, 0, 0, null, load, busy);
    }

    /** Whether it was measured. */
    public boolean ok() {
        return status == Status.OK;
    }

    /** Whether its coefficient of variation is above 2.5 %. */
    public boolean unstable() {
        return ok() && latencyMs.unstable();
    }

    /** The same case (backend, batch, seq) of another model: what ratios compare. */
    public boolean sameCase(BenchResult o) {
        return backend.equals(o.backend) && batch == o.batch && seq == o.seq;
    }
}
