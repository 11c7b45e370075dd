package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ortune.graph.ir.FileRegionData;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.CheckpointState;
import io.ortune.runtime.OrtRuntime;
import io.ortune.runtime.SessionOptions;
import io.ortune.runtime.TrainingSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Artifacts made by ortune, trained by ONNX Runtime's training API: the linear-regression model with hand-written
 * gradient nodes (standing in for autodiff) is loaded from its checkpoint, stepped with SGD and AdamW, and saved by
 * ONNX Runtime; {@link CheckpointReader} reads that file back.
 *
 * <p>Tolerance: every reference is computed in double from float32 inputs of magnitude ≤ 3 (N=4), while ONNX
 * Runtime computes in float32; a handful of roundings stay far below {@code atol = rtol = 1e-6}.
 */
class OrtTrainingEndToEndTest {

    private static final double TOL = 1e-6;

    @TempDir
    Path dir;

    @BeforeAll
    static void needsTrainingRuntime() {
        assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
        assumeTrue(OrtRuntime.get().isTrainingAvailable(), "the loaded ONNX Runtime has no training API");
    }

    private ArtifactSet.ArtifactFiles write(LinearRegressionFixture f, OptimizerConfig opt, List<String> trainable,
                                            List<String> frozen, Path where, CheckpointWriter writer)
            throws IOException {
        Map<String, io.ortune.graph.ir.Value> grads = new LinkedHashMap<>();
        for (String p : trainable) {
            grads.put(p, f.gradients.get(p));
        }
        PropertyBag props = PropertyBag.builder().putInt("ortune.epoch", 3).putFloat("ortune.best_loss", 0.25f)
                .putString("ortune.run", "e2e").build();
        return TrainingArtifacts.build(ArtifactRequest.of(f.model, f.loss, grads, trainable, frozen)
                .withOptimizer(opt).withProperties(props)).write(where, writer);
    }

    private static TrainingSession open(CheckpointState state, ArtifactSet.ArtifactFiles files) {
        return TrainingSession.create(state, files.trainingModel(), files.evalModel(), files.optimizerModel(),
                SessionOptions.defaults());
    }

    private static Map<String, Tensor> batch(LinearRegressionFixture f) {
        Map<String, Tensor> feeds = new LinkedHashMap<>();
        feeds.put("x", f.xTensor());
        feeds.put("t", f.tTensor());
        return feeds;
    }

    @Test
    void sgdWithLearningRateOneSubtractsTheHandComputedGradient() throws IOException {
        LinearRegressionFixture f = new LinearRegressionFixture();
        ArtifactSet.ArtifactFiles files = write(f, OptimizerConfig.Sgd.plain(), List.of("W", "b"), List.of(), dir,
                new CheckpointWriter());
        try (CheckpointState state = CheckpointState.load(files.checkpoint());
             TrainingSession s = open(state, files)) {
            assertThat(s.trainInputNames()).containsExactly("x", "t");
            assertThat(s.trainOutputNames()).containsExactly("loss", "y");
            s.setLearningRate(1f);
            Map<String, Tensor> out = s.trainStep(batch(f));
            Close.assertAllClose("loss", new float[] {(float) f.loss(f.w0, f.b0)}, out.get("loss").toFloats(), TOL,
                    TOL);
            s.optimizerStep();
            double[][] g = f.gradients(f.w0, f.b0);
            Close.assertAllClose("W after one SGD step", minus(f.w0, g[0]), state.parameter("W").toFloats(), TOL, TOL);
            Close.assertAllClose("b after one SGD step", minus(f.b0, g[1]), state.parameter("b").toFloats(), TOL, TOL);
        }
    }

    @Test
    void adamwLowersTheLossAndOnnxRuntimeCheckpointsReadBack() throws IOException {
        LinearRegressionFixture f = new LinearRegressionFixture();
        float lr = 0.05f;
        OptimizerConfig.AdamW adamw = OptimizerConfig.AdamW.defaults();
        ArtifactSet.ArtifactFiles files = write(f, adamw, List.of("W", "b"), List.of(), dir, new CheckpointWriter());
        Path saved = dir.resolve("saved").resolve("checkpoint");
        List<Float> losses = new ArrayList<>();
        float[] w;
        float[] b;
        try (CheckpointState state = CheckpointState.load(files.checkpoint());
             TrainingSession s = open(state, files)) {
            s.setLearningRate(lr);
            for (int step = 0; step < 10; step++) {
                losses.add(s.trainStep(batch(f)).get("loss").toFloats()[0]);
                s.optimizerStep();
                s.lazyResetGrad();
                if (step == 0) {
                    double[][] g = f.gradients(f.w0, f.b0);
                    Close.assertAllClose("W after the first AdamW step", adamwFirstStep(f.w0, g[0], adamw, lr, 0f),
                            state.parameter("W").toFloats(), TOL, TOL);
                }
            }
            w = state.parameter("W").toFloats();
            b = state.parameter("b").toFloats();
            Files.createDirectories(saved.getParent());
            state.save(saved, true);
        }
        assertThat(losses.get(9)).as("loss after 10 AdamW steps, from %s", losses).isLessThan(0.75f * losses.get(0));

        Checkpoint back = CheckpointReader.read(saved);
        assertThat(back.param("W").orElseThrow().toFloats()).containsExactly(w);
        assertThat(back.param("b").orElseThrow().toFloats()).containsExactly(b);
        assertThat(back.trainableParams()).extracting(Tensor::name).containsExactlyInAnyOrder("W", "b");
        OptimizerState opt = back.optimizerState().orElseThrow();
        assertThat(opt.groupName()).isEqualTo(OptimizerState.GROUP0);
        assertThat(opt.step()).isEqualTo(10);
        assertThat(opt.parameterStates().keySet()).containsExactlyInAnyOrder("W", "b");
        assertThat(opt.parameterStates().get("W").keySet()).containsExactlyInAnyOrder("momentum0", "momentum1");
        assertThat(opt.state("W", "momentum1").dims()).containsExactly(3, 1);
        assertThat(back.properties().getInt("ortune.epoch")).contains(3L);
        assertThat(back.properties().getFloat("ortune.best_loss")).contains(0.25f);
        assertThat(back.properties().getString("ortune.run")).contains("e2e");
    }

    @Test
    void weightDecayInTheNodeFollowsHuggingFaceAdamW() throws IOException {
        LinearRegressionFixture f = new LinearRegressionFixture();
        float lr = 0.05f;
        OptimizerConfig.AdamW adamw = OptimizerConfig.AdamW.defaults().withWeightDecay(0.1f);
        // Only W trains: every trainable parameter decays, so the decay lives in the AdamW node.
        ArtifactSet.ArtifactFiles files = write(f, adamw, List.of("W"), List.of("b"), dir, new CheckpointWriter());
        try (CheckpointState state = CheckpointState.load(files.checkpoint());
             TrainingSession s = open(state, files)) {
            s.setLearningRate(lr);
            s.trainStep(batch(f));
            s.optimizerStep();
            double[][] g = f.gradients(f.w0, f.b0);
            Close.assertAllClose("W after one decayed AdamW step", adamwFirstStep(f.w0, g[0], adamw, lr, 0.1f),
                    state.parameter("W").toFloats(), TOL, TOL);
            assertThat(state.parameter("b").toFloats()).containsExactly(f.b0); // frozen
        }
    }

    @Test
    void checkpointsWithExternalDataLoadIntoOnnxRuntime() throws IOException {
        LinearRegressionFixture f = new LinearRegressionFixture(64); // W: 256 bytes, stored in checkpoint.data
        ArtifactSet.ArtifactFiles files = write(f, OptimizerConfig.Sgd.plain(), List.of("W", "b"), List.of(), dir,
                new CheckpointWriter(0));
        assertThat(dir.resolve("checkpoint.data")).isRegularFile();
        assertThat(CheckpointReader.read(files.checkpoint()).param("W").orElseThrow().data())
                .isInstanceOf(FileRegionData.class);
        try (CheckpointState state = CheckpointState.load(files.checkpoint());
             TrainingSession s = open(state, files)) {
            assertThat(state.parameter("W").toFloats()).containsExactly(f.w0);
            s.setLearningRate(1f);
            Map<String, Tensor> out = s.trainStep(batch(f));
            Close.assertAllClose("loss", new float[] {(float) f.loss(f.w0, f.b0)}, out.get("loss").toFloats(), TOL,
                    TOL);
            s.optimizerStep();
            double[][] g = f.gradients(f.w0, f.b0);
            Close.assertAllClose("W after one SGD step", minus(f.w0, g[0]), state.parameter("W").toFloats(), TOL, TOL);
        }
    }

    /** Hugging Face AdamW (ORT adam_mode=1) at step 1 from zero moments, in double. */
    static float[] adamwFirstStep(float[] w, double[] g, OptimizerConfig.AdamW c, float lr, float wd) {
        double b1 = c.beta1();
        double b2 = c.beta2();
        double lrCorrected = lr * Math.sqrt(1 - b2) / (1 - b1);
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            double m = (1 - b1) * g[i];
            double v = (1 - b2) * g[i] * g[i];
            double p = w[i] - lrCorrected * m / (Math.sqrt(v) + c.epsilon());
            out[i] = (float) (p - lr * wd * p);
        }
        return out;
    }

    static float[] minus(float[] w, double[] g) {
        float[] out = new float[w.length];
        for (int i = 0; i < w.length; i++) {
            out[i] = (float) (w[i] - g[i]);
        }
        return out;
    }
}
