package io.ortune.training.trainer;

import io.ortune.runtime.CheckpointState;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.TrainingSession;
import io.ortune.training.artifacts.ArtifactSet;
import io.ortune.training.artifacts.Checkpoint;
import io.ortune.training.artifacts.CheckpointReader;
import io.ortune.training.artifacts.WeightDecayPolicy;
import io.ortune.training.data.BatchStream;
import io.ortune.training.objective.Objective;
import io.ortune.graph.pass.ShapeInferencePass;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fine-tunes a causal language model with ONNX Runtime's training API.
 *
 * <p>A fresh run builds the training artifacts ({@link TrainingGraphs}) into {@code RUN_DIR/artifacts}, opens a
 * {@link TrainingSession} and runs optimizer steps until the step budget is spent or early stopping ends it. Each
 * step feeds K = {@code gradAccum} micro-batches to {@code TrainStep} (each loss scaled by its share of the step's
 * labelled tokens, so K micro-batches equal one batch of all their rows), reads the loss and the gradient norm,
 * sets the scheduled learning rate, runs {@code OptimizerStep} (clipping happens inside the optimizer model) and
 * {@code LazyResetGrad}. A NaN or infinite loss or gradient norm stops the run before the optimizer step with a
 * {@link NonFiniteLossException}.
 *
 * <p>The run folder holds: {@value #ARTIFACTS}/ (training, eval and optimizer models, initial checkpoint),
 * {@value #CHECKPOINTS}/ (periodic checkpoints, each with parameters, optimizer moments, step and
 * {@link TrainerState}), {@value #BEST}/ (the checkpoint with the best eval loss), {@value #METRICS} (one JSON line
 * per step), {@value #EVALS} (one per evaluation) and, at the end, {@value #MODEL}: the trained model for inference.
 * {@link TrainRequest#resume()} continues from the latest checkpoint and, with the same data, settings and thread
 * count, produces bit-identical losses to the uninterrupted run.
 */
public final class Trainer {

    /**
     * ONNX Runtime's memory-pattern planning in the training session: off. Measured with {@code bench-train} on
     * GPT-2 small at batch 4 × 256 (docs/benchmarks.md, "Training: memory pattern"): off cuts the peak RSS of LoRA
     * from 5.1 to 2.9 GiB and of full fine-tuning from 6.9 GiB to less, with no slower steps.
     */
    public static final boolean MEMORY_PATTERN = false;

    public static final String ARTIFACTS = "artifacts";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String BEST = "best";
    public static final String METRICS = "metrics.jsonl";
    public static final String EVALS = "eval.jsonl";
    public static final String MODEL = "model.onnx";

    private Trainer() {
    }

    /**
     * Trains (or resumes) as {@code request} says.
     *
     * @throws NonFiniteLossException   when a loss or gradient norm is not finite
     * @throws IllegalArgumentException when the run folder does not fit the request (a fresh run over an existing
     *                                  run, a resume without checkpoint or with different data or batch settings)
     */
    public static TrainResult train(TrainRequest request, TrainingListener listener) throws IOException {
        long start = System.nanoTime();
        TrainerConfig cfg = request.config();
        Path run = request.runDir();
        Files.createDirectories(run);
        CheckpointDir checkpoints = new CheckpointDir(run.resolve(CHECKPOINTS), cfg.keepCheckpoints());
        Path artifacts = run.resolve(ARTIFACTS);
        ParameterReport parameters = null;
        TrainerState resumed = null;
        Path startCheckpoint;
        if (request.resume()) {
            Path latest = checkpoints.latest(listener::onMessage).orElseThrow(() -> new IllegalArgumentException(run
                    + " has no checkpoint to resume from (none was saved under " + checkpoints.folder() + ")"));
            requireArtifacts(artifacts);
            resumed = TrainerState.read(latest);
            checkResumable(resumed, request, latest);
            startCheckpoint = latest.resolve(CheckpointDir.CHECKPOINT);
            listener.onMessage("resuming " + run + " from " + latest + " (step " + resumed.step() + ")");
        } else {
            if (checkpoints.latest().isPresent() || Files.exists(artifacts.resolve(ArtifactSet.MANIFEST))) {
                throw new IllegalArgumentException(run + " already holds a training run; continue it with --resume "
                        + run + " or choose another --out");
            }
            TrainingGraphs.Built built = TrainingGraphs.build(request.forward(), request.objective(), cfg.trainable(),
                    cfg.optimizerConfig(), cfg.ortKernels());
            parameters = built.parameters();
            listener.onMessage(parameters.summary(8));
            built.artifacts().write(artifacts);
            startCheckpoint = artifacts.resolve(ArtifactSet.CHECKPOINT);
        }
        BatchStream stream = new BatchStream(request.trainRows(), cfg.batchSize(), cfg.seed(), cfg.shuffle());
        long total = cfg.totalSteps(stream.batchesPerEpoch());
        WeightDecayPolicy.Plan decay = decayPlan(artifacts.resolve(ArtifactSet.CHECKPOINT), cfg);
        SessionOptions options = SessionOptions.builder().intraOpThreads(cfg.threads()).memoryPattern(MEMORY_PATTERN)
                .build();
        TrainingSession.setSeed(cfg.seed());
        try (CheckpointState state = CheckpointState.load(startCheckpoint);
             TrainingSession session = TrainingSession.create(state, artifacts.resolve(ArtifactSet.TRAINING_MODEL),
                     artifacts.resolve(ArtifactSet.EVAL_MODEL), artifacts.resolve(ArtifactSet.OPTIMIZER_MODEL),
                     options)) {
            TrainLoop loop = new TrainLoop(request, session, state, stream, cfg.lrSchedule(total), decay,
                    checkpoints, listener);
            TrainLoop.Outcome o = loop.run(resumed);
            Path model = run.resolve(MODEL);
            Path last = o.lastCheckpoint().resolve(CheckpointDir.CHECKPOINT);
            Checkpoint trained = CheckpointReader.read(last);
            List<Objective.Export> exports = request.objective()
                    .exports(new ShapeInferencePass().run(request.forward()).model());
            ModelExport.write(request.forward(), exports.isEmpty() ? trained : restrict(trained, request.forward()),
                    last.toString(), model);
            listener.onMessage("wrote " + model);
            for (Objective.Export e : exports) {
                ModelExport.write(e.model(), restrict(trained, e.model()), last.toString(), run.resolve(e.fileName()));
                listener.onMessage("wrote " + run.resolve(e.fileName()));
            }
            return new TrainResult(o.steps(), o.lastLoss(), o.initialEval(), o.finalEval(), o.evals(),
                    o.bestEvalLoss(), o.bestStep(), o.stoppedEarly(), model, o.lastCheckpoint(),
                    (System.nanoTime() - start) / 1e9, parameters);
        }
    }

    /**
     * The parameters of {@code c} that are initializers of {@code m}: the forward model lacks the objective's head,
     * an inference export may lack what only the training outputs needed (a decoder's LM head under a reward head).
     */
    private static Checkpoint restrict(Checkpoint c, io.ortune.graph.ir.Model m) {
        java.util.Set<String> names = m.graph().initializers().keySet();
        return Checkpoint.of(c.trainableParams().stream().filter(t -> names.contains(t.name())).toList(),
                c.frozenParams().stream().filter(t -> names.contains(t.name())).toList());
    }

    private static void requireArtifacts(Path artifacts) {
        for (String f : new String[] {ArtifactSet.TRAINING_MODEL, ArtifactSet.EVAL_MODEL, ArtifactSet.OPTIMIZER_MODEL,
            ArtifactSet.CHECKPOINT}) {
            if (!Files.isRegularFile(artifacts.resolve(f))) {
                throw new IllegalArgumentException("cannot resume: " + artifacts.resolve(f) + " is missing");
            }
        }
    }

    private static void checkResumable(TrainerState s, TrainRequest r, Path from) {
        TrainerConfig c = r.config();
        Map<String, String> diffs = new LinkedHashMap<>();
        if (s.rows() != r.trainRows().size()) {
            diffs.put("training rows", s.rows() + " vs " + r.trainRows().size());
        }
        if (s.batchSize() != c.batchSize()) {
            diffs.put("batch size", s.batchSize() + " vs " + c.batchSize());
        }
        if (s.gradAccum() != c.gradAccum()) {
            diffs.put("grad accumulation", s.gradAccum() + " vs " + c.gradAccum());
        }
        if (s.seed() != c.seed()) {
            diffs.put("seed", s.seed() + " vs " + c.seed());
        }
        if (!diffs.isEmpty()) {
            throw new IllegalArgumentException("cannot resume from " + from + ": the run was made with other settings "
                    + "(saved vs now) " + diffs);
        }
    }

    /** Where weight decay goes, from the trainable parameters of the initial checkpoint. */
    private static WeightDecayPolicy.Plan decayPlan(Path initialCheckpoint, TrainerConfig cfg) throws IOException {
        if (!cfg.optimizer().equals("adamw") || cfg.weightDecay() == 0) {
            return WeightDecayPolicy.plan(0f, Map.of());
        }
        Checkpoint c = CheckpointReader.read(initialCheckpoint);
        Map<String, long[]> dims = new LinkedHashMap<>();
        c.trainableParams().forEach(t -> dims.put(t.name(), t.dims()));
        return WeightDecayPolicy.plan((float) cfg.weightDecay(), dims);
    }
}
