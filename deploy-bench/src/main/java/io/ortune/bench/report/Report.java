package io.ortune.bench.report;

import io.ortune.bench.harness.BenchResults;
import io.ortune.graph.io.AtomicFiles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The HTML report: one self-contained page (charts are PNGs embedded as {@code data:} URIs, no network) and a
 * Markdown summary beside it ({@code report.html} → {@code report.md}).
 *
 * <pre>{@code
 * Report.Written w = Report.assemble(List.of(Path.of("bench-out"), Path.of("runs/lora"), Path.of("nf4.json")),
 *         Path.of("report.html"));
 * }</pre>
 */
public final class Report {

    /**
     * What was written.
     *
     * @param html     the page
     * @param markdown the summary beside it
     * @param charts   charts drawn
     */
    public record Written(Path html, Path markdown, int charts) { }

    private Report() {
    }

    /**
     * Assembles a report from any mix of bench output folders or {@code results.json} files, training run folders
     * (with {@code metrics.jsonl}) and other report JSON files. Every input is read and checked before anything is
     * written.
     *
     * @throws IllegalArgumentException naming the input (and key or line) that cannot be used
     */
    public static Written assemble(List<Path> inputs, Path outHtml) throws IOException {
        return render(ReportInputs.load(inputs), outHtml);
    }

    /** The report of bench results alone (what {@link BenchResults#write} puts beside {@code results.json}). */
    public static Written write(List<BenchResults> results, Path outHtml) throws IOException {
        List<ReportInput> in = new ArrayList<>();
        results.forEach(r -> in.add(new ReportInput.Bench(null, r)));
        return render(in, outHtml);
    }

    private static Written render(List<ReportInput> inputs, Path outHtml) throws IOException {
        Document d = new Document(outHtml.getFileName().toString());
        d.heading(1, "ortune report");
        List<BenchResults> bench = new ArrayList<>();
        for (ReportInput i : inputs) {
            if (i instanceof ReportInput.Bench b) {
                bench.add(b.results());
            }
        }
        if (!bench.isEmpty()) {
            d.charts(BenchCharts.of(bench));
            for (ReportInput i : inputs) {
                if (i instanceof ReportInput.Bench b) {
                    BenchSection.write(d, b.source(), b.results());
                }
            }
        }
        int run = 0;
        for (ReportInput i : inputs) {
            if (i instanceof ReportInput.TrainingRun t) {
                TrainingSection.write(d, t, run++);
            } else if (i instanceof ReportInput.JsonReport j) {
                d.heading(2, "Report (" + j.kind() + "): " + j.source());
                d.keyValues(j.scalars());
            }
        }
        Path md = markdownBeside(outHtml);
        Path parent = outHtml.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        AtomicFiles.writeString(outHtml, d.html.page("ortune report"));
        AtomicFiles.writeString(md, d.md.text());
        return new Written(outHtml, md, d.chartCount());
    }

    /** {@code report.html} → {@code report.md}; any other name gets {@code .md} instead of its extension. */
    static Path markdownBeside(Path html) {
        String name = html.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return html.resolveSibling((dot > 0 ? name.substring(0, dot) : name) + ".md");
    }

    /** The section of a training run: curves and the last step's and evaluation's figures. */
    static final class TrainingSection {
        private TrainingSection() {
        }

        static void write(Document d, ReportInput.TrainingRun t, int index) {
            d.heading(2, "Training run: " + t.source());
            d.paragraph(t.steps().size() + " steps logged, " + t.evals().size() + " evaluations.");
            d.charts(TrainingCharts.of(t, index));
            if (!t.steps().isEmpty()) {
                d.heading(3, "Last step");
                d.keyValues(text(t.steps().get(t.steps().size() - 1)));
            }
            if (!t.evals().isEmpty()) {
                d.heading(3, "Last evaluation");
                d.keyValues(text(t.evals().get(t.evals().size() - 1)));
            }
        }

        private static Map<String, String> text(Map<String, Double> row) {
            Map<String, String> m = new java.util.LinkedHashMap<>();
            row.forEach((k, v) -> m.put(k, v == Math.rint(v) && Math.abs(v) < 1e15 ? String.valueOf(v.longValue())
                    : String.format(java.util.Locale.ROOT, "%.6g", v)));
            return m;
        }
    }
}
