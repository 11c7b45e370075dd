package io.ortune.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.within;

import io.ortune.graph.ir.Tensor;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training session over a hand-made artifact set ({@link TrainingArtifacts}): loss = sum(x * w), so the gradient
 * is x and every value below is closed-form; optimizer steps are compared with ONNX Runtime's AdamW formula computed
 * in the test.
 */
class TrainingSessionTest {

    /** Float AdamW arithmetic done in the same order as the kernel agrees to a few ulps; 1e-6 on values near 1. */
    private static final double ADAM_TOL = 1e-6;
    private static final float LR = 0.1f;

    @TempDir
    Path dir;

    private static Map<String, Tensor> x(float a, float b) {
        return Map.of("x", Tensor.ofFloats("x", new long[] {2}, a, b));
    }

    private static float loss(Map<String, Tensor> out) {
        return out.get("loss").toFloats()[0];
    }

    private TrainingSession open(TrainingArtifacts.Files4 f, CheckpointState ckpt) {
        TrainingSession s = TrainingSession.create(ckpt, f.train(), f.eval(), f.optimizer(), SessionOptions.defaults());
        s.setLearningRate(LR);
        return s;
    }

    @Test
    void stepsMatchTheClosedForm() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint()); TrainingSession s = open(f, ckpt)) {
            assertThat(s.trainInputNames()).containsExactly("x");
            assertThat(s.trainOutputNames()).containsExactly("loss");
            assertThat(s.evalInputNames()).containsExactly("x");
            assertThat(s.evalOutputNames()).containsExactly("loss");
            assertThat(s.learningRate()).isEqualTo(LR);
            assertThat(s.parameterCount(true)).isEqualTo(2);

            assertThat(loss(s.trainStep(x(3, 4)))).isEqualTo(3 * 1 + 4 * 2);
            assertThat(loss(s.evalStep(x(3, 4)))).isEqualTo(11);
            s.optimizerStep();

            float[] w = {1, 2};
            float[] m = new float[2];
            float[] v = new float[2];
            TrainingArtifacts.adamStep(w, m, v, new float[] {3, 4}, LR, 1);
            float[] got = s.copyParametersToBuffer(true).toFloats();
            assertThat(got[0]).isCloseTo(w[0], within((float) ADAM_TOL));
            assertThat(got[1]).isCloseTo(w[1], within((float) ADAM_TOL));
            assertThat(ckpt.parameter(TrainingArtifacts.PARAM).toFloats()).containsExactly(got);
            assertThat(loss(s.evalStep(x(3, 4)))).isCloseTo(3 * w[0] + 4 * w[1], within(1e-5f));
        }
    }

    @Test
    void gradientsAccumulateUntilLazyReset() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint()); TrainingSession s = open(f, ckpt)) {
            float[] w = {1, 2};
            float[] m = new float[2];
            float[] v = new float[2];
            s.trainStep(x(3, 4));
            s.trainStep(x(-1, -8));
            s.optimizerStep();
            TrainingArtifacts.adamStep(w, m, v, new float[] {2, -4}, LR, 1); // g1 + g2
            s.lazyResetGrad();
            s.trainStep(x(-1, -8));
            s.optimizerStep();
            TrainingArtifacts.adamStep(w, m, v, new float[] {-1, -8}, LR, 2); // only g2 after the reset
            float[] got = ckpt.parameter(TrainingArtifacts.PARAM).toFloats();
            assertThat(got[0]).isCloseTo(w[0], within((float) ADAM_TOL));
            assertThat(got[1]).isCloseTo(w[1], within((float) ADAM_TOL));
        }
    }

    @Test
    void resumingFromASavedCheckpointIsExact() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        Path saved = dir.resolve("saved.ckpt");
        float[] continued;
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint()); TrainingSession s = open(f, ckpt)) {
            for (int i = 0; i < 3; i++) {
                s.lazyResetGrad();
                s.trainStep(x(3, 4 - i));
                s.optimizerStep();
            }
            ckpt.setProperty("epoch", CheckpointProperty.of(7L));
            ckpt.setProperty("best", CheckpointProperty.of(0.25f));
            ckpt.setProperty("note", CheckpointProperty.of("résumé"));
            ckpt.save(saved, true);
            s.lazyResetGrad();
            s.trainStep(x(-2, 5));
            s.optimizerStep();
            continued = ckpt.parameter(TrainingArtifacts.PARAM).toFloats();
        }
        try (CheckpointState ckpt = CheckpointState.load(saved); TrainingSession s = open(f, ckpt)) {
            assertThat(ckpt.property("epoch")).isEqualTo(new CheckpointProperty.IntValue(7));
            assertThat(ckpt.property("best")).isEqualTo(new CheckpointProperty.FloatValue(0.25f));
            assertThat(ckpt.property("note")).isEqualTo(new CheckpointProperty.StringValue("résumé"));
            s.lazyResetGrad();
            s.trainStep(x(-2, 5));
            s.optimizerStep();
            assertThat(ckpt.parameter(TrainingArtifacts.PARAM).toFloats()).containsExactly(continued);
        }
    }

    @Test
    void exportsAnInferenceModelWithTheTrainedWeights() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        Path exported = dir.resolve("inference.onnx");
        float evalLoss;
        try (CheckpointState ckpt = CheckpointState.load(f.checkpoint()); TrainingSession s = open(f, ckpt)) {
            s.trainStep(x(3, 4));
            s.optimizerStep();
            s.copyBufferToParameters(Tensor.ofFloats("p", new long[] {2}, 0.5f, -1.5f), true);
            assertThat(ckpt.parameter(TrainingArtifacts.PARAM).toFloats()).containsExactly(0.5f, -1.5f);
            evalLoss = loss(s.evalStep(x(2, 2)));
            s.exportModelForInferencing(exported, List.of("loss"));
        }
        assertThat(evalLoss).isEqualTo(2 * 0.5f + 2 * -1.5f);
        try (InferenceSession inf = InferenceSession.open(exported)) {
            assertThat(inf.inputNames()).containsExactly("x");
            assertThat(loss(inf.run(x(2, 2)))).isEqualTo(evalLoss);
        }
    }

    @Test
    void checkpointParametersCanBeReadAndUpdatedWhileASessionIsOpen() throws Exception {
        try (CheckpointState ckpt = CheckpointState.fromBytes(TrainingArtifacts.checkpoint(new float[] {4, 5}))) {
            assertThatThrownBy(() -> ckpt.parameter(TrainingArtifacts.PARAM))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("no open TrainingSession");
            try (TrainingSession s = TrainingSession.fromBytes(ckpt, TrainingArtifacts.trainModel(), null, null,
                    SessionOptions.defaults())) {
                assertThat(ckpt.parameter(TrainingArtifacts.PARAM).toFloats()).containsExactly(4, 5);
                ckpt.updateParameter(TrainingArtifacts.PARAM, Tensor.ofFloats("w", new long[] {2}, -1, 1));
                assertThat(ckpt.parameter(TrainingArtifacts.PARAM).toFloats()).containsExactly(-1, 1);
                assertThat(loss(s.trainStep(x(1, 1)))).isZero();
                assertThatThrownBy(() -> s.evalStep(x(1, 1))).isInstanceOf(IllegalStateException.class)
                        .hasMessageContaining("without an eval model");
            }
            assertThatThrownBy(() -> ckpt.updateParameter(TrainingArtifacts.PARAM,
                    Tensor.ofFloats("w", new long[] {2}, 0, 0))).isInstanceOf(IllegalStateException.class);
        }
    }

    @Test
    void lifetimesAndInputChecks() throws Exception {
        TrainingArtifacts.Files4 f = TrainingArtifacts.write(dir, new float[] {1, 2});
        CheckpointState ckpt = CheckpointState.load(f.checkpoint());
        TrainingSession s = open(f, ckpt);
        ckpt.close(); // deferred: the session still uses the state
        assertThat(ckpt.isClosed()).isTrue();
        assertThat(loss(s.trainStep(x(1, 1)))).isEqualTo(3);
        assertThatThrownBy(() -> s.trainStep(Map.of("y", Tensor.ofFloats("y", new long[] {2}, 1, 1))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("takes inputs [x], got [y]");
        s.close();
        s.close();
        assertThatThrownBy(s::optimizerStep).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        assertThatThrownBy(() -> ckpt.parameter(TrainingArtifacts.PARAM)).isInstanceOf(IllegalStateException.class);
        ckpt.close();
    }

    @Test
    void ortErrorsCarryContext() throws Exception {
        OrtException garbage = catchThrowableOfType(OrtException.class,
                () -> CheckpointState.fromBytes(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        assertThat(garbage.context()).startsWith("loading in-memory checkpoint");
        try (CheckpointState ckpt = CheckpointState.fromBytes(TrainingArtifacts.checkpoint(new float[] {4, 5}));
             TrainingSession s = TrainingSession.fromBytes(ckpt, TrainingArtifacts.trainModel(), null, null,
                     SessionOptions.defaults())) {
            assertThat(s.trainInputNames()).containsExactly("x");
            OrtException missing = catchThrowableOfType(OrtException.class, () -> ckpt.parameter("nope"));
            assertThat(missing.getMessage()).contains("reading parameter 'nope'").contains("nope");
            OrtException wrongShape = catchThrowableOfType(OrtException.class, () -> ckpt.updateParameter(
                    TrainingArtifacts.PARAM, Tensor.ofFloats("w", new long[] {3}, 1, 2, 3)));
            assertThat(wrongShape.context()).startsWith("updating parameter 'w'");
            OrtException noProperty = catchThrowableOfType(OrtException.class, () -> ckpt.property("absent"));
            assertThat(noProperty.getMessage()).contains("absent");
        }
    }
}
