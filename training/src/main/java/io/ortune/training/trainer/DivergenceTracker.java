package io.ortune.training.trainer;

import java.nio.file.Path;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Watches the loss of each optimizer step for the start of a divergence, so a failure can name the last checkpoint
 * saved <em>before</em> the run went bad rather than merely the newest one (which may already hold a loss of 1e13).
 *
 * <p>The running mean is an exponential moving average ({@code mean ← β·mean + (1−β)·loss}) of the steps that were
 * not spikes. After {@code warmupSteps} observed steps, a step whose loss exceeds {@code factor × mean} is a spike;
 * a non-finite loss or gradient norm always is. The first spike marks the start of the divergence; the mark is
 * cleared once {@code recoverSteps} consecutive steps are back under the threshold. A resumed run starts a new
 * running mean (and warm-up).
 */
final class DivergenceTracker {

    /** Default spike factor: a step loss three times the running mean. */
    static final double DEFAULT_FACTOR = 3.0;
    /** Default steps observed before spikes are judged. */
    static final int DEFAULT_WARMUP = 5;
    /** Default smoothing of the running mean. */
    static final double DEFAULT_BETA = 0.9;
    /** Default consecutive normal steps that end a divergence. */
    static final int DEFAULT_RECOVER = 3;

    /** What one step looked like: the running mean before it, and whether it was a spike. */
    record Verdict(double runningMean, boolean spike) { }

    /** Where a divergence began: the first bad step, its loss, and the running mean it was judged against. */
    record Onset(long step, double loss, double runningMean) { }

    private final double factor;
    private final int warmupSteps;
    private final double beta;
    private final int recoverSteps;
    private final TreeMap<Long, Path> checkpoints = new TreeMap<>();

    private double mean = Double.NaN;
    private int observed;
    private int normalSinceSpike;
    private Onset onset;

    DivergenceTracker(double factor, int warmupSteps, double beta, int recoverSteps) {
        if (!(factor > 1) || warmupSteps < 1 || !(beta >= 0 && beta < 1) || recoverSteps < 1) {
            throw new IllegalArgumentException("divergence tracker needs factor > 1, warm-up >= 1, 0 <= beta < 1 "
                    + "and recover >= 1; got " + factor + ", " + warmupSteps + ", " + beta + ", " + recoverSteps);
        }
        this.factor = factor;
        this.warmupSteps = warmupSteps;
        this.beta = beta;
        this.recoverSteps = recoverSteps;
    }

    /** The tracker with the defaults above. */
    static DivergenceTracker defaults() {
        return new DivergenceTracker(DEFAULT_FACTOR, DEFAULT_WARMUP, DEFAULT_BETA, DEFAULT_RECOVER);
    }

    /** Observes optimizer step {@code step} (1-based). */
    Verdict observe(long step, double loss, double gradNorm) {
        double before = mean;
        boolean finite = Double.isFinite(loss) && Double.isFinite(gradNorm);
        boolean spike = !finite || observed >= warmupSteps && loss > factor * mean;
        if (spike) {
            normalSinceSpike = 0;
            if (onset == null) {
                onset = new Onset(step, loss, before);
            }
        } else {
            mean = observed == 0 ? loss : beta * mean + (1 - beta) * loss;
            observed++;
            if (onset != null && ++normalSinceSpike >= recoverSteps) {
                onset = null;
            }
        }
        return new Verdict(before, spike);
    }

    /** Records a checkpoint saved after {@code step} optimizer steps. */
    void checkpointSaved(long step, Path folder) {
        checkpoints.put(step, folder);
    }

    /** The start of the current divergence, if one is under way. */
    Optional<Onset> onset() {
        return Optional.ofNullable(onset);
    }

    /**
     * The last checkpoint saved before the current divergence began (the newest one when there is none); empty when
     * no checkpoint predates it. A checkpoint after {@code k} steps predates a divergence beginning at step
     * {@code s} when {@code k < s}.
     */
    Optional<Path> lastGoodCheckpoint() {
        var e = onset == null ? checkpoints.lastEntry() : checkpoints.lowerEntry(onset.step());
        return e == null ? Optional.empty() : Optional.of(e.getValue());
    }
}
