package io.ortune.bench.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Nearest-rank percentiles, mean, sample stddev and cv against closed forms and a float64 reference. */
class LatencyStatsTest {

    /** Sums of at most a few hundred doubles: 1e-12 relative covers rounding of the two summation orders. */
    private static final double RTOL = 1e-12;
    private static final double ATOL = 1e-12;

    @Test
    void oneToHundredHasTheClosedFormPercentiles() {
        double[] xs = new double[100];
        for (int i = 0; i < 100; i++) {
            xs[99 - i] = i + 1;
        }
        LatencyStats s = LatencyStats.of(xs);
        assertThat(s.n()).isEqualTo(100);
        assertThat(s.min()).isEqualTo(1);
        assertThat(s.p50()).isEqualTo(50);
        assertThat(s.p90()).isEqualTo(90);
        assertThat(s.p95()).isEqualTo(95);
        assertThat(s.p99()).isEqualTo(99);
        assertThat(s.max()).isEqualTo(100);
        close(s.mean(), 50.5);
        // sample variance of 1..n is n(n+1)/12
        close(s.stddev(), Math.sqrt(100 * 101 / 12.0));
        close(s.cv(), Math.sqrt(100 * 101 / 12.0) / 50.5);
    }

    @Test
    void tenRunsP99IsTheSlowestAndP50TheFifth() {
        double[] xs = {5, 1, 9, 3, 7, 2, 8, 4, 6, 10};
        LatencyStats s = LatencyStats.of(xs);
        assertThat(s.p50()).isEqualTo(5);
        assertThat(s.p90()).isEqualTo(9);
        assertThat(s.p95()).isEqualTo(10);
        assertThat(s.p99()).isEqualTo(10);
    }

    @Test
    void matchesAnIndependentTwoPassReference() {
        SplittableRandom r = new SplittableRandom(7);
        double[] xs = new double[257];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = 3 + r.nextDouble() * r.nextDouble() * 40;
        }
        LatencyStats s = LatencyStats.of(xs);
        double[] sorted = xs.clone();
        java.util.Arrays.sort(sorted);
        // nearest rank: the smallest sample with at least p% of samples at or below it
        for (double p : new double[] {50, 90, 95, 99}) {
            double want = Double.NaN;
            for (double x : sorted) {
                long atOrBelow = java.util.Arrays.stream(xs).filter(v -> v <= x).count();
                if (atOrBelow * 100.0 >= p * xs.length) {
                    want = x;
                    break;
                }
            }
            double got = p == 50 ? s.p50() : p == 90 ? s.p90() : p == 95 ? s.p95() : s.p99();
            assertThat(got).as("p%s", p).isEqualTo(want);
        }
        java.math.BigDecimal sum = java.math.BigDecimal.ZERO;
        for (double x : xs) {
            sum = sum.add(new java.math.BigDecimal(x));
        }
        double mean = sum.divide(java.math.BigDecimal.valueOf(xs.length), java.math.MathContext.DECIMAL128)
                .doubleValue();
        double ss = 0;
        for (double x : xs) {
            ss += (x - mean) * (x - mean);
        }
        close(s.mean(), mean);
        close(s.stddev(), Math.sqrt(ss / (xs.length - 1)));
    }

    @Test
    void flagsCoefficientOfVariationAboveTrtexecsThreshold() {
        assertThat(LatencyStats.of(new double[] {100, 100, 100, 100.1}).unstable()).isFalse();
        assertThat(LatencyStats.of(new double[] {100, 110, 90, 100}).unstable()).isTrue();
        assertThat(LatencyStats.of(new double[] {4}).cv()).isZero();
    }

    @Test
    void classicMedianAveragesTheMiddleTwo() {
        assertThat(LatencyStats.median(new double[] {4, 1, 3, 2})).isEqualTo(2.5);
        assertThat(LatencyStats.median(new double[] {5, 1, 3})).isEqualTo(3);
        assertThat(LatencyStats.of(new double[] {4, 1, 3, 2}).p50()).isEqualTo(2);
    }

    @Test
    void refusesNoSamplesAndNonFiniteOnes() {
        assertThatThrownBy(() -> LatencyStats.of(new double[0])).hasMessageContaining("no samples");
        assertThatThrownBy(() -> LatencyStats.of(new double[] {1, Double.NaN}))
                .hasMessageContaining("finite");
    }

    @Test
    void warmupAndMeasureCountRunsAndDurationKeepsTenAtLeast() {
        assertThat(new Warmup.Runs(3).more(2, 0)).isTrue();
        assertThat(new Warmup.Runs(3).more(3, 0)).isFalse();
        assertThat(new Warmup.Seconds(1).more(0, 5_000_000_000L)).isTrue();
        assertThat(new Warmup.Seconds(1).more(1, 2_000_000_000L)).isFalse();
        assertThat(new Measure.Duration(0.001).more(9, 10_000_000_000L)).isTrue();
        assertThat(new Measure.Duration(0.001).more(10, 10_000_000_000L)).isFalse();
        assertThatThrownBy(() -> new Measure.Runs(9)).hasMessageContaining("--runs must be >= 10");
        assertThatThrownBy(() -> new Warmup.Seconds(0)).hasMessageContaining("--warmup-s");
    }

    private static void close(double got, double want) {
        assertThat(Math.abs(got - want)).as("|%s - %s|", got, want).isLessThanOrEqualTo(ATOL + RTOL * Math.abs(want));
    }
}
