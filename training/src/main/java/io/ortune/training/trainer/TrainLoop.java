package io.ortune.training.trainer;

import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.CheckpointState;
import io.ortune.runtime.TrainingSession;
import io.ortune.training.artifacts.WeightDecayPolicy;
import io.ortune.training.data.BatchStream;
import io.ortune.training.data.Collator;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.objective.Objective;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The step loop of one {@link Trainer#train} call, over an open session. */
final class TrainLoop {

    /** What the loop did. */
    record Outcome(long steps, double lastLoss, EvalResult initialEval, EvalResult finalEval, List<EvalResult> evals,
                   double bestEvalLoss, long bestStep, boolean stoppedEarly, Path lastCheckpoint) { }

    private final TrainRequest request;
    private final TrainerConfig cfg;
    private final TrainingSession session;
    private final CheckpointState state;
    private final BatchStream stream;
    private final Collator collator;
    private final LrSchedule schedule;
    private final WeightDecayPolicy.Plan decay;
    private final CheckpointDir checkpoints;
    private final CheckpointDir best;
    private final Evaluator evaluator;
    private final MetricsLog metrics;
    private final MetricsLog evalLog;
    private final TrainingListener listener;
    private final List<EvalResult> evals = new ArrayList<>();
    private final DivergenceTracker divergence = DivergenceTracker.defaults();

    private long step;
    private long tokensSeen;
    private double elapsedBase;
    private long sessionStart;
    private double bestEvalLoss = Double.NaN;
    private long bestStep = -1;
    private int evalsWithoutImprovement;
    private Path lastCheckpoint;
    private long lastSavedStep = -1;

    TrainLoop(TrainRequest request, TrainingSession session, CheckpointState state, BatchStream stream,
              LrSchedule schedule, WeightDecayPolicy.Plan decay, CheckpointDir checkpoints, TrainingListener listener) {
        this.request = request;
        this.cfg = request.config();
        this.session = session;
        this.state = state;
        this.stream = stream;
        this.collator = request.collator();
        this.schedule = schedule;
        this.decay = decay;
        this.checkpoints = checkpoints;
        this.best = new CheckpointDir(request.runDir().resolve(Trainer.BEST), 1);
        this.evaluator = new Evaluator(request.evalRows(), collator, cfg.batchSize(), request.objective());
        this.metrics = new MetricsLog(request.runDir().resolve(Trainer.METRICS));
        this.evalLog = new MetricsLog(request.runDir().resolve(Trainer.EVALS));
        this.listener = listener;
    }

    Outcome run(TrainerState resumed) throws IOException {
        restore(resumed);
        sessionStart = System.nanoTime();
        listener.onStart(step, schedule.totalSteps(), stream.batchesPerEpoch());
        EvalResult initial = resumed == null && !evaluator.isEmpty() ? evaluate(false) : null;
        boolean stoppedEarly = false;
        double lastLoss = Double.NaN;
        EvalResult lastEval = null;
        while (step < schedule.totalSteps()) {
            lastLoss = oneStep();
            boolean last = step == schedule.totalSteps();
            if (!last && cfg.evalEvery() > 0 && step % cfg.evalEvery() == 0 && !evaluator.isEmpty()) {
                lastEval = evaluate(true);
                if (cfg.patience() > 0 && evalsWithoutImprovement >= cfg.patience()) {
                    listener.onMessage("early stopping at step " + step + ": no better eval loss in "
                            + evalsWithoutImprovement + " evaluations (best " + bestEvalLoss + " at step "
                            + bestStep + ")");
                    stoppedEarly = true;
                    break;
                }
            }
            if (!last && cfg.saveEvery() > 0 && step % cfg.saveEvery() == 0) {
                save();
            }
        }
        EvalResult finalEval = null;
        if (!evaluator.isEmpty()) {
            finalEval = lastEval != null && lastEval.step() == step ? lastEval : evaluate(true);
        }
        if (lastSavedStep != step || lastCheckpoint == null) {
            save();
        }
        return new Outcome(step, lastLoss, initial, finalEval, evals, bestEvalLoss, bestStep, stoppedEarly,
                lastCheckpoint);
    }

    private void restore(TrainerState s) throws IOException {
        if (s == null) {
            metrics.reset(-1);
            evalLog.reset(-1);
            return;
        }
        step = s.step();
        stream.seek(s.epoch(), s.index());
        tokensSeen = s.tokensSeen();
        elapsedBase = s.elapsedSeconds();
        bestEvalLoss = s.bestEvalLoss();
        bestStep = s.bestStep();
        evalsWithoutImprovement = s.evalsWithoutImprovement();
        lastCheckpoint = checkpoints.latest().orElse(null);
        if (lastCheckpoint != null) {
            divergence.checkpointSaved(step, lastCheckpoint);
        }
        lastSavedStep = step;
        metrics.reset(step);
        evalLog.reset(step);
    }

    /** K micro-batches, then the optimizer step; returns the step's token-weighted loss. */
    private double oneStep() throws IOException {
        long t0 = System.nanoTime();
        List<Objective.Fed> micro = new ArrayList<>(cfg.gradAccum());
        long labelled = 0;
        for (int k = 0; k < cfg.gradAccum(); k++) {
            Objective.Fed b = request.objective().feed(stream.next(), collator);
            micro.add(b);
            labelled += b.weight();
        }
        double weighted = 0;
        double gradSq = Double.NaN;
        long tokens = 0;
        for (Objective.Fed b : micro) {
            long n = b.weight();
            Map<String, Tensor> out = session.trainStep(Feeds.of(session.trainInputNames(), b.feeds(),
                    (float) ((double) n / labelled)));
            double loss = Feeds.scalar(out, CausalLmObjective.LOSS);
            weighted += loss * n;
            gradSq = Feeds.scalar(out, GradNormOutput.NAME);
            tokens += b.tokens();
        }
        double loss = weighted / labelled;
        double gradNorm = Math.sqrt(gradSq);
        DivergenceTracker.Verdict verdict = divergence.observe(step + 1, loss, gradNorm);
        if (!Double.isFinite(loss) || !Double.isFinite(gradNorm)) {
            String what = !Double.isFinite(loss) ? "the loss (" + loss + ")" : "the gradient norm (" + gradNorm + ")";
            throw new NonFiniteLossException(step + 1, what, divergence.onset().orElse(null),
                    divergence.lastGoodCheckpoint(), Optional.ofNullable(lastCheckpoint));
        }
        session.setLearningRate((float) schedule.lr(step));
        float lr = session.learningRate();
        session.optimizerStep();
        applyWeightDecay(lr);
        session.lazyResetGrad();
        step++;
        tokensSeen += tokens;
        double seconds = (System.nanoTime() - t0) / 1e9;
        double epoch = stream.epoch() + (double) stream.index() / stream.size();
        StepMetrics m = new StepMetrics(step, schedule.totalSteps(), epoch, loss, lr, gradNorm, tokens,
                tokens / seconds, elapsed(), verdict.runningMean(), verdict.spike());
        if (verdict.spike() && divergence.onset().map(o -> o.step() == step).orElse(false)) {
            listener.onMessage(String.format(java.util.Locale.ROOT, "loss spike at step %d: %.6g against a running "
                    + "mean of %.6g; keeping %s out of the checkpoint rotation", step, loss, verdict.runningMean(),
                    divergence.lastGoodCheckpoint().map(Path::toString).orElse("(no checkpoint yet)")));
        }
        metrics.append(m.toJsonLine());
        listener.onStep(m);
        return loss;
    }

    /** Decoupled weight decay for the parameters the optimizer node leaves alone: {@code p *= 1 - lr · wd}. */
    private void applyWeightDecay(float lr) {
        if (!decay.trainerApplies()) {
            return;
        }
        float factor = 1f - lr * decay.trainerWeightDecay();
        for (String name : decay.trainerDecayed()) {
            Tensor p = state.parameter(name);
            float[] v = p.toFloats();
            for (int i = 0; i < v.length; i++) {
                v[i] *= factor;
            }
            state.updateParameter(name, Tensor.ofFloats(name, p.dims(), v));
        }
    }

    private EvalResult evaluate(boolean track) throws IOException {
        EvalResult e = evaluator.run(session, step);
        evals.add(e);
        evalLog.append(e.toJsonLine());
        boolean improved = track && Double.isFinite(e.loss()) && (Double.isNaN(bestEvalLoss) || e.loss() < bestEvalLoss);
        if (track) {
            if (improved) {
                bestEvalLoss = e.loss();
                bestStep = step;
                evalsWithoutImprovement = 0;
                best.save(state, trainerState());
            } else {
                evalsWithoutImprovement++;
            }
        }
        listener.onEval(e, improved);
        return e;
    }

    private void save() throws IOException {
        checkpoints.pin(divergence.onset().isPresent() ? divergence.lastGoodCheckpoint().orElse(null) : null);
        lastCheckpoint = checkpoints.save(state, trainerState());
        divergence.checkpointSaved(step, lastCheckpoint);
        lastSavedStep = step;
        listener.onCheckpoint(step, lastCheckpoint);
    }

    private TrainerState trainerState() {
        return new TrainerState(step, stream.epoch(), stream.index(), cfg.seed(), stream.size(), cfg.batchSize(),
                cfg.gradAccum(), schedule.totalSteps(), schedule.kind().name().toLowerCase(java.util.Locale.ROOT),
                schedule.baseLr(), schedule.warmupSteps(), tokensSeen, elapsed(), bestEvalLoss, bestStep,
                evalsWithoutImprovement);
    }

    private double elapsed() {
        return elapsedBase + (System.nanoTime() - sessionStart) / 1e9;
    }
}
