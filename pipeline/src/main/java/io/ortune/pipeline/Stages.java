package io.ortune.pipeline;

import io.ortune.pipeline.stage.BaseStage;
import io.ortune.pipeline.stage.BenchStage;
import io.ortune.pipeline.stage.CompileStage;
import io.ortune.pipeline.stage.EvaluateStage;
import io.ortune.pipeline.stage.InjectStage;
import io.ortune.pipeline.stage.MergeStage;
import io.ortune.pipeline.stage.QuantizeStage;
import io.ortune.pipeline.stage.ReportStage;
import io.ortune.pipeline.stage.TrainStage;

import java.util.ArrayList;
import java.util.List;

/** The stage implementations for a config, in run order. */
final class Stages {

    private Stages() {
    }

    static List<Stage> create(PipelineConfig c) {
        List<Stage> out = new ArrayList<>();
        for (StageName s : c.stages()) {
            out.add(switch (s) {
                case BASE -> new BaseStage(c);
                case INJECT -> new InjectStage(c);
                case TRAIN -> new TrainStage(c);
                case EVALUATE -> new EvaluateStage(c);
                case MERGE -> new MergeStage(c);
                case QUANTIZE -> new QuantizeStage(c);
                case COMPILE -> new CompileStage(c);
                case BENCH -> new BenchStage(c);
                case REPORT -> new ReportStage(c);
            });
        }
        return out;
    }
}
