package io.ortune.bench.report;

import io.ortune.bench.harness.BenchResult;
import io.ortune.bench.harness.BenchResults;
import org.jfree.data.category.DefaultCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

/**
 * The charts of bench results: latency percentiles per model, latency against batch and against sequence length
 * (when swept), throughput, p50 by precision (when models differ in precision) and generation TTFT/TPOT.
 */
final class BenchCharts {

    /** The most result bars one percentile chart shows. */
    static final int MAX_SERIES = 12;

    private BenchCharts() {
    }

    static List<Chart> of(List<BenchResults> all) {
        List<BenchResult> ok = new ArrayList<>();
        all.forEach(r -> r.results().stream().filter(BenchResult::ok).forEach(ok::add));
        List<Chart> charts = new ArrayList<>();
        if (ok.isEmpty()) {
            return charts;
        }
        boolean backends = ok.stream().map(BenchResult::backend).distinct().count() > 1;
        Function<BenchResult, String> who = r -> r.model() + (backends ? " [" + r.backend() + "]" : "");
        charts.add(percentiles(ok, who));
        if (ok.stream().map(BenchResult::batch).distinct().count() > 1) {
            charts.add(sweep("latency-vs-batch", "p50 latency vs batch size", "batch", ok, BenchResult::batch,
                    r -> who.apply(r) + " seq " + r.seq()));
        }
        if (ok.stream().map(BenchResult::seq).distinct().count() > 1) {
            charts.add(sweep("latency-vs-seq", "p50 latency vs sequence length", "sequence length", ok,
                    BenchResult::seq, r -> who.apply(r) + " batch " + r.batch()));
        }
        charts.add(bars("throughput", "Throughput (rows/s = batch / mean latency)", "rows/s", ok, who,
                BenchResult::throughputPerS));
        if (ok.stream().map(BenchResult::precision).distinct().count() > 1) {
            charts.add(bars("precision", "p50 latency by precision", "ms", ok,
                    r -> r.precision() + ": " + who.apply(r), r -> r.latencyMs().p50()));
        }
        List<BenchResult> gen = ok.stream().filter(r -> r.generation() != null).toList();
        if (!gen.isEmpty()) {
            charts.add(bars("ttft", "Time to first token (p50)", "ms", gen, who,
                    r -> r.generation().ttftMs().p50()));
            charts.add(bars("tpot", "Time per output token (p50)", "ms", gen, who,
                    r -> r.generation().tpotMs().p50()));
        }
        return charts;
    }

    private static Chart percentiles(List<BenchResult> ok, Function<BenchResult, String> who) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (BenchResult r : ok.subList(0, Math.min(MAX_SERIES, ok.size()))) {
            String series = who.apply(r) + " " + r.batch() + "x" + r.seq();
            d.addValue(r.latencyMs().p50(), series, "p50");
            d.addValue(r.latencyMs().p90(), series, "p90");
            d.addValue(r.latencyMs().p95(), series, "p95");
            d.addValue(r.latencyMs().p99(), series, "p99");
        }
        String more = ok.size() > MAX_SERIES ? " (first " + MAX_SERIES + " of " + ok.size() + ")" : "";
        return ChartRenderer.bars("latency-percentiles", "Latency percentiles per model" + more, "percentile", "ms",
                d);
    }

    private static Chart sweep(String id, String title, String x, List<BenchResult> ok,
                               ToDoubleFunction<BenchResult> xOf, Function<BenchResult, String> seriesOf) {
        Map<String, XYSeries> series = new LinkedHashMap<>();
        for (BenchResult r : ok) {
            series.computeIfAbsent(seriesOf.apply(r), k -> new XYSeries(k, true, false))
                    .addOrUpdate(xOf.applyAsDouble(r), r.latencyMs().p50());
        }
        XYSeriesCollection c = new XYSeriesCollection();
        series.values().forEach(c::addSeries);
        return ChartRenderer.lines(id, title, x, "p50 ms", c, true);
    }

    private static Chart bars(String id, String title, String y, List<BenchResult> rs,
                              Function<BenchResult, String> who, ToDoubleFunction<BenchResult> value) {
        DefaultCategoryDataset d = new DefaultCategoryDataset();
        for (BenchResult r : rs) {
            d.addValue(value.applyAsDouble(r), who.apply(r), "batch " + r.batch() + " x seq " + r.seq());
        }
        return ChartRenderer.bars(id, title, "case", y, d);
    }
}
