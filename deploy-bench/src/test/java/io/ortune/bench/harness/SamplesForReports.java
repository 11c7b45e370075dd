package io.ortune.bench.harness;

/** {@link SampleResults} for tests in other packages. */
public final class SamplesForReports {

    private SamplesForReports() {
    }

    public static BenchResults sample() {
        return SampleResults.sample();
    }
}
