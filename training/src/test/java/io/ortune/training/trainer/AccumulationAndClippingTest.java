package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.training.data.Example;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Gradient accumulation and clipping, observed through one SGD step with learning rate 1 (so the parameter change
 * is minus the gradient the optimizer applied).
 */
class AccumulationAndClippingTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Checks.assumeTraining();
    }

    /**
     * 2 micro-batches of 4 rows equal one batch of 8. The rows have different lengths (so the micro-batches hold
     * different numbers of labelled tokens, which a plain 1/K scaling would get wrong). Tolerance 1e-5 absolute +
     * 1e-5 relative: the two paths sum the same float32 terms in a different order.
     */
    @Test
    void accumulatingTwoTimesFourEqualsOneBatchOfEight() throws IOException {
        Model model = TinyLm.gpt2();
        List<Example> rows = new ArrayList<>(TinyLm.rows(4, 14, 3));
        rows.addAll(TinyLm.rows(4, 7, 4));
        StepRecorder one = new StepRecorder();
        StepRecorder two = new StepRecorder();
        TrainResult a = Trainer.train(new TrainRequest(model, rows, List.of(), TinyLm.collator(), dir.resolve("b8"),
                TinyLm.sgd(1.0).batchSize(8).gradAccum(1).maxSteps(1).build(), false), one);
        TrainResult b = Trainer.train(new TrainRequest(model, rows, List.of(), TinyLm.collator(), dir.resolve("b4x2"),
                TinyLm.sgd(1.0).batchSize(4).gradAccum(2).maxSteps(1).build(), false), two);
        assertThat(two.steps.get(0).loss()).isCloseTo(one.steps.get(0).loss(),
                org.assertj.core.data.Offset.offset(1e-5));
        assertThat(two.steps.get(0).gradNorm()).isCloseTo(one.steps.get(0).gradNorm(),
                org.assertj.core.data.Offset.offset(1e-5));
        Map<String, Tensor> pa = ModelExport.parameters(a.lastCheckpoint().resolve("checkpoint"));
        Map<String, Tensor> pb = ModelExport.parameters(b.lastCheckpoint().resolve("checkpoint"));
        for (String p : pa.keySet()) {
            Checks.assertClose(p + " after 2x4 vs 1x8", pb.get(p).toFloats(), pa.get(p).toFloats(), 1e-5, 1e-5);
        }
    }

    /**
     * With clipping at a norm below the gradient's, the SGD update has exactly that global norm, points along the
     * gradient, and the reported grad_norm is the unclipped norm. Tolerances: norms to 1e-4 relative (float32
     * sums over ~10^4 terms); direction per element 1e-6 + 1e-3 relative.
     */
    @Test
    void clippingCapsTheGlobalNorm() throws IOException {
        Model model = TinyLm.gpt2();
        List<Example> rows = TinyLm.rows(4, 12, 5);
        Map<String, Tensor> grads = SgdStepTest.referenceGradients(model, TinyLm.collator().collate(rows));
        double norm = 0;
        for (Tensor g : grads.values()) {
            for (float v : g.toFloats()) {
                norm += (double) v * v;
            }
        }
        norm = Math.sqrt(norm);
        double maxNorm = norm / 4;
        StepRecorder rec = new StepRecorder();
        TrainResult r = Trainer.train(new TrainRequest(model, rows, List.of(), TinyLm.collator(), dir,
                TinyLm.sgd(1.0).batchSize(4).maxSteps(1).maxGradNorm(maxNorm).build(), false), rec);
        assertThat(rec.steps.get(0).gradNorm()).as("reported (unclipped) gradient norm")
                .isCloseTo(norm, org.assertj.core.data.Offset.offset(1e-4 * norm));
        Map<String, Tensor> after = ModelExport.parameters(r.lastCheckpoint().resolve("checkpoint"));
        double updateNorm = 0;
        double scale = maxNorm / norm;
        for (String p : grads.keySet()) {
            float[] before = model.graph().initializer(p).constant().toFloats();
            float[] now = after.get(p).toFloats();
            float[] g = grads.get(p).toFloats();
            float[] delta = new float[g.length];
            float[] expected = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                delta[i] = now[i] - before[i];
                expected[i] = (float) (-g[i] * scale);
                updateNorm += (double) delta[i] * delta[i];
            }
            Checks.assertClose("clipped update of " + p, delta, expected, 1e-6, 1e-3);
        }
        assertThat(Math.sqrt(updateNorm)).as("global norm of the clipped update")
                .isCloseTo(maxNorm, org.assertj.core.data.Offset.offset(1e-4 * maxNorm + 1e-6));
    }

    /** Records step metrics. */
    static final class StepRecorder implements TrainingListener {
        final List<StepMetrics> steps = new ArrayList<>();
        final List<EvalResult> evals = new ArrayList<>();

        @Override
        public void onStep(StepMetrics m) {
            steps.add(m);
        }

        @Override
        public void onEval(EvalResult e, boolean best) {
            evals.add(e);
        }
    }
}
