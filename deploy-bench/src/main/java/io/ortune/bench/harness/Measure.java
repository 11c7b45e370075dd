package io.ortune.bench.harness;

/** How many timed runs: a count, or runs until a duration has passed; never fewer than {@link #MIN_RUNS}. */
public sealed interface Measure {

    /** The fewest timed runs any result is based on. */
    int MIN_RUNS = 10;

    /** Exactly {@code count} timed runs ({@code >= 10}). */
    record Runs(int count) implements Measure {
        public Runs {
            if (count < MIN_RUNS) {
                throw new IllegalArgumentException("--runs must be >= " + MIN_RUNS + " (percentiles of fewer runs"
                        + " say little), got " + count);
            }
        }
    }

    /** Timed runs until {@code seconds} have passed, and at least 10. */
    record Duration(double seconds) implements Measure {
        public Duration {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--duration-s must be > 0, got " + seconds);
            }
        }
    }

    /** Whether another timed run is due after {@code done} runs and {@code elapsedNs}. */
    default boolean more(int done, long elapsedNs) {
        if (this instanceof Runs r) {
            return done < r.count();
        }
        Duration d = (Duration) this;
        return done < MIN_RUNS || elapsedNs < d.seconds() * 1e9;
    }

    /** For reports: {@code 20 runs} or {@code 5.0 s (>= 10 runs)}. */
    default String describe() {
        if (this instanceof Runs r) {
            return r.count() + " runs";
        }
        Duration d = (Duration) this;
        return d.seconds() + " s (>= " + MIN_RUNS + " runs)";
    }
}
