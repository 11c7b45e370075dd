package io.ortune.pipeline;

import io.ortune.pipeline.stage.BaseStage;
import io.ortune.pipeline.stage.CompileStage;
import io.ortune.pipeline.stage.EvaluateStage;
import io.ortune.pipeline.stage.InjectStage;
import io.ortune.pipeline.stage.MergeStage;
import io.ortune.pipeline.stage.TrainStage;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * The stage implementations for a config. Stages whose implementation is not in this build are refused here —
 * before any work — with what they wait for; there are no placeholder outputs.
 */
final class Stages {

    /** What each stage that is not wired yet will call. */
    static final Map<StageName, String> UNWIRED = new EnumMap<>(Map.of(
            StageName.QUANTIZE, "io.ortune.export.quant.Quantizer",
            StageName.BENCH, "io.ortune.bench.harness.BenchRunner",
            StageName.REPORT, "io.ortune.bench.report.Report.assemble"));

    private Stages() {
    }

    static List<Stage> create(PipelineConfig c) {
        List<String> missing = new ArrayList<>();
        List<Stage> out = new ArrayList<>();
        for (StageName s : c.stages()) {
            switch (s) {
                case BASE -> out.add(new BaseStage(c));
                case INJECT -> out.add(new InjectStage(c));
                case TRAIN -> out.add(new TrainStage(c));
                case EVALUATE -> out.add(new EvaluateStage(c));
                case MERGE -> out.add(new MergeStage(c));
                case COMPILE -> out.add(new CompileStage(c));
                default -> missing.add(s.key() + " (" + UNWIRED.get(s) + ")");
            }
        }
        if (!missing.isEmpty()) {
            StageName first = c.stages().stream().filter(UNWIRED::containsKey).findFirst().orElseThrow();
            StageName last = out.stream().map(Stage::name).filter(n -> n.compareTo(first) < 0)
                    .reduce((a, b) -> b).orElseThrow();
            throw new PipelineException(first, c.source() + " enables stages this build cannot run yet: "
                    + String.join(", ", missing) + ". Nothing was run. Run the stages before them with --to "
                    + last.key() + " (Pipeline.Options.to), or remove those sections.", null);
        }
        return out;
    }
}
