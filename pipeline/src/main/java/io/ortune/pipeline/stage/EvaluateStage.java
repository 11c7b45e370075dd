package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.graph.io.AtomicFiles;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.EvaluateSection;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.training.data.Example;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * {@code evaluate}: held-out quality before and after training, as {@code evaluation.json}. Reward models: pairwise
 * accuracy and Bradley–Terry loss of {@code reward_model.onnx} on the held-out pairs, measured here with ONNX Runtime
 * (after), next to the trainer's evaluation at step 0 (before: base + zero adapter + initial head). Decoders: mean
 * next-token loss and perplexity of the base model (before) and the trained model (after), both measured here.
 */
public final class EvaluateStage implements Stage {

    public static final String EVALUATION = "evaluation";

    private final PipelineConfig config;
    private final EvaluateSection section;

    public EvaluateStage(PipelineConfig config) {
        this.config = config;
        this.section = config.file().evaluate();
    }

    @Override
    public StageName name() {
        return StageName.EVALUATE;
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
        ObjectNode o = StageSettings.of(section, config.file().threadsOr(), 0);
        o.put("objective", config.file().train().objectiveOr());
        return o;
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        List<Example> rows = HeldOutRows.read(ctx.output(StageName.TRAIN, TrainStage.HELDOUT));
        int threads = config.file().threadsOr();
        StageOutputs out = StageOutputs.empty().with(EVALUATION, "evaluation.json");
        ObjectNode s = out.summary();
        s.put("heldout_rows", rows.size());
        if (TrainSection.REWARD.equals(config.file().train().objectiveOr())) {
            Path model = ctx.output(StageName.TRAIN, TrainStage.REWARD_MODEL);
            HeldOutMetrics.Pairwise after = HeldOutMetrics.pairwise(model, rows, section.batchSizeOr(), 0, threads);
            s.put("metric", "pairwise_accuracy");
            ctx.summary(StageName.TRAIN, "eval_before").ifPresent(b -> {
                s.put("before", b.path("eval_accuracy").asDouble());
                s.put("loss_before", b.path("eval_loss").asDouble());
            });
            s.put("after", after.accuracy());
            s.put("loss_after", after.loss());
            ctx.summary(StageName.TRAIN, "eval_after").ifPresent(a -> s.put("trainer_after",
                    a.path("eval_accuracy").asDouble()));
            ctx.progress().accept(String.format(Locale.ROOT, "held-out pairwise accuracy %s -> %.4f on %d pairs "
                    + "(loss %s -> %.4f)", s.has("before") ? String.format(Locale.ROOT, "%.4f", s.get("before")
                    .asDouble()) : "?", after.accuracy(), after.pairs(), s.has("loss_before")
                    ? String.format(Locale.ROOT, "%.4f", s.get("loss_before").asDouble()) : "?", after.loss()));
        } else {
            HeldOutMetrics.TokenLoss before = HeldOutMetrics.tokenLoss(ctx.output(StageName.BASE, BaseStage.MODEL),
                    rows, threads);
            HeldOutMetrics.TokenLoss after = HeldOutMetrics.tokenLoss(ctx.output(StageName.TRAIN, TrainStage.MODEL),
                    rows, threads);
            s.put("metric", "token_loss");
            s.put("before", before.loss());
            s.put("after", after.loss());
            s.put("perplexity_before", before.perplexity());
            s.put("perplexity_after", after.perplexity());
            s.put("tokens", after.tokens());
            ctx.progress().accept(String.format(Locale.ROOT, "held-out loss %.4f -> %.4f (perplexity %.2f -> %.2f) "
                    + "over %d tokens", before.loss(), after.loss(), before.perplexity(), after.perplexity(),
                    after.tokens()));
        }
        AtomicFiles.writeString(ctx.dir().resolve("evaluation.json"),
                StageSettings.JSON.writerWithDefaultPrettyPrinter().writeValueAsString(s) + "\n");
        return out;
    }
}
