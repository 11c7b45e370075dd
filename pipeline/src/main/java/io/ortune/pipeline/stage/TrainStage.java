package io.ortune.pipeline.stage;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ortune.export.adapter.RunAdapters;
import io.ortune.graph.ir.Model;
import io.ortune.pipeline.PipelineConfig;
import io.ortune.pipeline.Stage;
import io.ortune.pipeline.StageContext;
import io.ortune.pipeline.StageName;
import io.ortune.pipeline.StageOutputs;
import io.ortune.pipeline.config.TrainSection;
import io.ortune.training.objective.Objective;
import io.ortune.training.objective.Objectives;
import io.ortune.training.objective.RewardModelObjective;
import io.ortune.training.qlora.Nf4Config;
import io.ortune.training.qlora.Nf4QuantizePass;
import io.ortune.training.trainer.LrSchedule;
import io.ortune.training.trainer.RunFolder;
import io.ortune.training.trainer.TrainRequest;
import io.ortune.training.trainer.TrainResult;
import io.ortune.training.trainer.Trainables;
import io.ortune.training.trainer.Trainer;
import io.ortune.training.trainer.TrainerConfig;
import io.ortune.training.trainer.TrainingModels;
import io.ortune.training.data.Collator;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code train}: LoRA (or QLoRA: {@code quantize: nf4} puts the frozen base in NF4 first) on the injected model with
 * the {@link io.ortune.training.trainer.Trainer}, in {@code run/} (the run folder of {@code ortune train}). Writes
 * {@code run/model.onnx} (base + unmerged adapter), for reward models {@code run/reward_model.onnx} (output
 * {@code score}), for decoders {@code run/adapter/} (PEFT's layout), and {@code heldout.jsonl} (the held-out rows, for the evaluate stage). Checkpoints every
 * {@code save-every} steps; an interrupted stage resumes from the newest one.
 */
public final class TrainStage implements Stage {

    public static final String MODEL = "model";
    public static final String REWARD_MODEL = "reward_model";
    public static final String HELDOUT = "heldout";
    /** The trained adapter in PEFT's folder layout (causal-lm runs; {@code RunAdapters.writeRun}). */
    public static final String ADAPTER = "adapter";
    static final String RUN = "run";
    /** The trainer's pointer to its newest complete checkpoint ({@code checkpoints/latest}). */
    private static final String LATEST = "latest";

    private final PipelineConfig config;
    private final TrainSection t;

    public TrainStage(PipelineConfig config) {
        this.config = config;
        this.t = config.file().train();
    }

    @Override
    public StageName name() {
        return StageName.TRAIN;
    }

    @Override
    public int version() {
        return 1;
    }

    @Override
    public boolean resumable() {
        return true;
    }

    @Override
    public boolean canResume(Path stageDir) {
        return Files.isRegularFile(stageDir.resolve(RUN).resolve(Trainer.CHECKPOINTS).resolve(LATEST));
    }

    @Override
    public List<Input> inputs() {
        return t.data() == null ? List.of() : List.of(new Input("data", config.resolve(t.data())));
    }

    @Override
    public JsonNode settings() {
        return StageSettings.of(t, config.file().threadsOr(), config.file().seedOr());
    }

    @Override
    public StageOutputs run(StageContext ctx) throws IOException {
        StageName from = ctx.earlier().containsKey(StageName.INJECT) ? StageName.INJECT : StageName.BASE;
        Model model = TrainingModels.load(ctx.output(from, "model"));
        TrainerConfig cfg = trainerConfig(model);
        if (t.qlora()) {
            Nf4QuantizePass.Result q = new Nf4QuantizePass(Nf4Config.defaults()
                    .withDoubleQuant(Boolean.TRUE.equals(t.doubleQuant()))).quantize(model);
            ctx.progress().accept(q.report().summary());
            model = q.model();
        }
        TrainData.Split data = TrainData.load(config, t, model, ctx.optionalOutput(StageName.BASE,
                BaseStage.TOKENIZER).orElse(null), config.file().seedOr());
        ctx.progress().accept(data.description());
        Path run = ctx.dir().resolve(RUN);
        boolean resume = ctx.resume() && canResume(ctx.dir());
        if (!resume) {
            RunFolder.prepareFresh(run, true);
        }
        TrainResult r = Trainer.train(new TrainRequest(model, data.train(), data.eval(), new Collator(data.pad()),
                run, cfg, resume, objective()), new TrainProgressLines(ctx.progress()));
        HeldOutRows.write(ctx.dir().resolve(HeldOutRows.FILE), data.eval());
        StageOutputs out = StageOutputs.empty().with(MODEL, RUN + "/" + Trainer.MODEL)
                .with(HELDOUT, HeldOutRows.FILE).with("metrics", RUN + "/" + Trainer.METRICS);
        if (Files.isRegularFile(run.resolve(Trainer.EVALS))) {
            out = out.with("evals", RUN + "/" + Trainer.EVALS);
        }
        if (isReward()) {
            out = out.with(REWARD_MODEL, RUN + "/" + Objectives.REWARD_MODEL);
        } else if (!RunAdapters.writeRun(run).isEmpty()) {
            out = out.with(ADAPTER, RUN + "/" + RunAdapters.ADAPTER_DIR);
        }
        summarize(out.summary(), r, run, data);
        return out;
    }

    private boolean isReward() {
        return TrainSection.REWARD.equals(t.objectiveOr());
    }

    private Objective objective() {
        if (!isReward()) {
            return Objectives.causalLm();
        }
        RewardModelObjective.Config d = RewardModelObjective.Config.defaults();
        return Objectives.reward(new RewardModelObjective.Config(d.pooling(), config.file().seedOr(), d.initStd()));
    }

    private TrainerConfig trainerConfig(Model model) {
        TrainerConfig.Builder b = TrainerConfig.builder().trainable(Trainables.of(null, null, model))
                .maxSteps(t.maxStepsOr()).batchSize(t.batchSizeOr()).lr(t.lrOr())
                .warmupSteps(t.warmupSteps() == null ? 0 : t.warmupSteps())
                .weightDecay(t.weightDecay() == null ? 0 : t.weightDecay())
                .maxGradNorm(t.maxGradNorm() == null ? 1.0 : t.maxGradNorm())
                .saveEvery(t.saveEveryOr()).evalEvery(t.evalEvery() == null ? 0 : t.evalEvery())
                .threads(config.file().threadsOr()).seed(config.file().seedOr()).keepCheckpoints(2);
        if (t.schedule() != null) {
            b.schedule(LrSchedule.Kind.parse(t.schedule()));
        }
        return b.build();
    }

    /** Steps, losses and the held-out figures before (step 0) and after, from the run's {@code eval.jsonl}. */
    private void summarize(ObjectNode s, TrainResult r, Path run, TrainData.Split data) throws IOException {
        s.put("objective", t.objectiveOr());
        s.put("qlora", t.qlora());
        s.put("steps", r.steps());
        s.put("last_loss", r.lastLoss());
        s.put("train_rows", data.train().size());
        s.put("heldout_rows", data.eval().size());
        List<JsonNode> evals = new ArrayList<>();
        Path file = run.resolve(Trainer.EVALS);
        if (Files.isRegularFile(file)) {
            for (String line : Files.readAllLines(file)) {
                if (!line.isBlank()) {
                    evals.add(StageSettings.JSON.readTree(line));
                }
            }
        }
        if (!evals.isEmpty()) {
            JsonNode first = evals.get(0);
            if (first.path("step").asLong(-1) == 0) {
                s.set("eval_before", first);
            }
            s.set("eval_after", evals.get(evals.size() - 1));
        }
    }
}
