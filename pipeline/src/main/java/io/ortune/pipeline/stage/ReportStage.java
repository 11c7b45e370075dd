package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.bench.report.Report;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.ReportSection;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code report}: one self-contained {@code report.html} and {@code report.md} beside it ({@link Report#assemble})
 * over the train stage's run folder (loss curves from {@code metrics.jsonl}), the evaluate, merge and quantize stage
 * reports and the bench results. The merge stage's summary is written here as {@code merge.json}
 * ({@code "kind": "merge"}) since that stage writes no report of its own.
 */
public final class ReportStage implements Stage {

    public static final String HTML = "html";

    private final PipelineConfig config;
    private final ReportSection section;

    public ReportStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().report();
    }

    @Override
    public StageName name() {
        return StageName.REPORT;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public List<Input> inputs() {
        return List.of();
    }

    @Override
    public JsonNode settings() {
        return StageSettings.of(section, config.file().threadsOr(), 0);
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        List<Path> inputs = new ArrayList<>();
        ctx.optionalOutput(StageName.TRAIN, "metrics").map(Path::getParent).ifPresent(inputs::add);
        ctx.optionalOutput(StageName.EVALUATE, EvaluateStage.EVALUATION).ifPresent(p -> inputs.add(
                kinded(ctx, p, "evaluate")));
        if (ctx.earlier().containsKey(StageName.MERGE)) {
            ObjectNode m = (ObjectNode) ctx.earlier().get(StageName.MERGE).manifest().summary().deepCopy();
            inputs.add(write(ctx, "merge", m));
        }
        if (config.file().quantize() != null) {
            for (String mode : config.file().quantize().modesOr()) {
                ctx.optionalOutput(StageName.QUANTIZE, "report-" + mode).ifPresent(inputs::add);
            }
        }
        ctx.optionalOutput(StageName.BENCH, BenchStage.RESULTS).ifPresent(inputs::add);
        Path html = ctx.dir().resolve(section.htmlOr());
        Report.Written w = Report.assemble(inputs, html);
        ctx.progress().accept("report: " + w.html().toAbsolutePath() + " (" + w.charts() + " charts, "
                + inputs.size() + " inputs)");
        StageOutputs out = StageOutputs.empty().with(HTML, section.htmlOr())
                .with("markdown", w.markdown().getFileName().toString());
        out.summary().put("inputs", inputs.size());
        out.summary().put("charts", w.charts());
        return out;
    }

    /** {@code file} with a {@code "kind"} field, copied into this stage's folder. */
    private static Path kinded(StageContext ctx, Path file, String kind) {
        try {
            ObjectNode o = (ObjectNode) StageSettings.JSON.readTree(file.toFile());
            return write(ctx, kind, o);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Path write(StageContext ctx, String kind, ObjectNode body) {
        ObjectNode o = StageSettings.JSON.createObjectNode();
        o.put("kind", kind);
        o.setAll(body);
        Path p = ctx.dir().resolve(kind + ".json");
        try {
            AtomicFiles.writeString(p, StageSettings.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(o)
                    + "\n");
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        return p;
    }
}
