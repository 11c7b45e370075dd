package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import io.ortune.export.merge.MergeResult;
import io.ortune.export.merge.Merges;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.MergeSection;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.SessionOptions;
import io.ortune.training.data.Example;
import io.ortune.training.data.PreferencePair;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code merge}: the trained adapter folded into the base ({@link Merges#mergeAndUnload}; a QLoRA model's NF4 base is
 * dequantized first) as {@code model.onnx} — for reward models the scoring model, for decoders the causal LM. With
 * {@code check} (default) the merged and unmerged models are run on up to 8 held-out rows and the largest absolute
 * output difference is recorded ({@code max_abs_diff}).
 */
public final class MergeStage implements Stage {

    public static final String MODEL = "model";
    private static final int CHECK_ROWS = 8;

    private final PipelineConfig config;
    private final MergeSection section;

    public MergeStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().merge();
    }

    @Override
    public StageName name() {
        return StageName.MERGE;
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

    private boolean reward() {
        return TrainSection.REWARD.equals(config.file().train().objectiveOr());
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        Path trained = ctx.output(StageName.TRAIN, reward() ? TrainStage.REWARD_MODEL : TrainStage.MODEL);
        MergeResult r = section.intoOr().equals("base")
                ? Merges.mergeAndUnload(OnnxReader.read(trained), OnnxReader.read(ctx.output(StageName.BASE,
                        BaseStage.MODEL)))
                : Merges.mergeAndUnload(OnnxReader.read(trained));
        ctx.progress().accept(r.report().summary());
        Path merged = ctx.dir().resolve("model.onnx");
        OnnxWriter.write(r.model(), merged);
        StageOutputs out = StageOutputs.empty().with(MODEL, "model.onnx");
        out.summary().put("adapters", r.report().folded().size());
        out.summary().put("modules", r.report().modules().size());
        out.summary().put("source", trained.toString());
        out.summary().put("into", section.intoOr());
        if (!Boolean.FALSE.equals(section.check())) {
            List<Example> rows = HeldOutRows.read(ctx.output(StageName.TRAIN, TrainStage.HELDOUT));
            double diff = maxAbsDiff(trained, merged, rows.subList(0, Math.min(CHECK_ROWS, rows.size())));
            out.summary().put("max_abs_diff", diff);
            ctx.progress().accept("merged vs unmerged on " + Math.min(CHECK_ROWS, rows.size())
                    + " held-out rows: max |difference| " + diff);
        }
        return out;
    }

    private double maxAbsDiff(Path a, Path b, List<Example> rows) {
        String output = reward() ? "score" : "logits";
        double max = 0;
        SessionOptions o = SessionOptions.builder().intraOpThreads(config.file().threadsOr()).build();
        try (InferenceSession sa = InferenceSession.open(a, o); InferenceSession sb = InferenceSession.open(b, o)) {
            for (Example e : rows) {
                List<int[]> batch = new ArrayList<>();
                if (reward()) {
                    PreferencePair p = PreferencePair.of(e);
                    batch.add(p.chosen());
                    batch.add(p.rejected());
                } else {
                    batch.add(e.inputIds());
                }
                Tensor x = sa.run(OrtFeeds.of(sa, batch, 0), List.of(output)).get(output);
                Tensor y = sb.run(OrtFeeds.of(sb, batch, 0), List.of(output)).get(output);
                float[] u = x.toFloats();
                float[] v = y.toFloats();
                for (int i = 0; i < u.length; i++) {
                    max = Math.max(max, Math.abs((double) u[i] - v[i]));
                }
            }
        }
        return max;
    }
}
