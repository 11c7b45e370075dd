package io.ortune.bench.harness;

/** Untimed runs before the timed ones: a fixed count, or as many as fit in a time. Excluded and reported. */
public sealed interface Warmup {

    /** {@code count} untimed runs. */
    record Runs(int count) implements Warmup {
        public Runs {
            if (count < 0) {
                throw new IllegalArgumentException("--warmup-runs must be >= 0, got " + count);
            }
        }
    }

    /** Untimed runs until {@code seconds} have passed (at least one). */
    record Seconds(double seconds) implements Warmup {
        public Seconds {
            if (!(seconds > 0)) {
                throw new IllegalArgumentException("--warmup-s must be > 0, got " + seconds);
            }
        }
    }

    /** Whether another warm-up run is due after {@code done} runs and {@code elapsedNs}. */
    default boolean more(int done, long elapsedNs) {
        if (this instanceof Runs r) {
            return done < r.count();
        }
        Seconds s = (Seconds) this;
        return done == 0 || elapsedNs < s.seconds() * 1e9;
    }

    /** For reports: {@code 5 runs} or {@code 2.0 s}. */
    default String describe() {
        if (this instanceof Runs r) {
            return r.count() + " runs";
        }
        Seconds s = (Seconds) this;
        return s.seconds() + " s";
    }
}
