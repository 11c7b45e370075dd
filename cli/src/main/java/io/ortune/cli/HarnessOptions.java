package io.ortune.cli;

import io.ortune.bench.harness.Measure;
import io.ortune.bench.harness.Warmup;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/**
 * How the harness times (a picocli mixin): intra-op threads, warm-up by count or time, timed runs by count or
 * duration. Turned into the harness's {@link Warmup} and {@link Measure}.
 */
final class HarnessOptions {

    @Option(names = "--threads", paramLabel = "N", defaultValue = "2",
            description = "ONNX Runtime intra-op threads, 0 = its choice (default: ${DEFAULT-VALUE}).")
    int threads;

    @CommandLine.ArgGroup(exclusive = true)
    WarmupChoice warmup;

    @CommandLine.ArgGroup(exclusive = true)
    MeasureChoice measure;

    /** {@code --warmup-runs N} or {@code --warmup-s S}. */
    static final class WarmupChoice {
        @Option(names = "--warmup-runs", paramLabel = "N", required = true,
                description = "Untimed runs before each measurement (default: 5).")
        Integer runs;

        @Option(names = "--warmup-s", paramLabel = "S", required = true,
                description = "Untimed runs for S seconds instead.")
        Double seconds;
    }

    /** {@code --runs N} or {@code --duration-s S}. */
    static final class MeasureChoice {
        @Option(names = "--runs", paramLabel = "N", required = true, description = "Timed runs, >= 10 (default: 20).")
        Integer runs;

        @Option(names = "--duration-s", paramLabel = "S", required = true,
                description = "Timed runs for S seconds instead (at least 10 runs).")
        Double seconds;
    }

    Warmup warmup() {
        if (warmup == null) {
            return new Warmup.Runs(5);
        }
        return warmup.runs != null ? new Warmup.Runs(warmup.runs) : new Warmup.Seconds(warmup.seconds);
    }

    Measure measure() {
        if (measure == null) {
            return new Measure.Runs(20);
        }
        return measure.runs != null ? new Measure.Runs(measure.runs) : new Measure.Duration(measure.seconds);
    }
}
