package io.ortune.bench.report;

import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/** A training run's curves: loss (train and eval), perplexity (exp of the train loss, and eval), learning rate. */
final class TrainingCharts {

    private TrainingCharts() {
    }

    static List<Chart> of(ReportInput.TrainingRun run, int index) {
        String name = run.source().getFileName() == null ? run.source().toString()
                : run.source().getFileName().toString();
        List<Chart> charts = new ArrayList<>();
        XYSeriesCollection loss = new XYSeriesCollection();
        add(loss, "train loss", run.steps(), "loss", r -> r.get("loss"));
        add(loss, "eval loss", run.evals(), "eval_loss", r -> r.get("eval_loss"));
        if (loss.getSeriesCount() > 0) {
            charts.add(ChartRenderer.lines("training-loss-" + index, "Loss: " + name, "step", "loss", loss, false));
        }
        XYSeriesCollection ppl = new XYSeriesCollection();
        add(ppl, "train perplexity (exp loss)", run.steps(), "loss", r -> Math.exp(r.get("loss")));
        add(ppl, "eval perplexity", run.evals(), "eval_perplexity", r -> r.get("eval_perplexity"));
        if (ppl.getSeriesCount() > 0) {
            charts.add(ChartRenderer.lines("training-perplexity-" + index, "Perplexity: " + name, "step",
                    "perplexity", ppl, false));
        }
        XYSeriesCollection lr = new XYSeriesCollection();
        add(lr, "learning rate", run.steps(), "lr", r -> r.get("lr"));
        if (lr.getSeriesCount() > 0) {
            charts.add(ChartRenderer.lines("training-lr-" + index, "Learning rate: " + name, "step", "lr", lr, false));
        }
        return charts;
    }

    private static void add(XYSeriesCollection c, String label, List<Map<String, Double>> rows, String key,
                            ToDoubleFunction<Map<String, Double>> y) {
        XYSeries s = new XYSeries(label, true, true);
        for (Map<String, Double> r : rows) {
            if (r.containsKey(key) && r.containsKey("step") && Double.isFinite(y.applyAsDouble(r))) {
                s.add(r.get("step").doubleValue(), y.applyAsDouble(r));
            }
        }
        if (s.getItemCount() > 0) {
            c.addSeries(s);
        }
    }
}
