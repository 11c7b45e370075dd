package io.ortune.training.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Tensor;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.NativeOutputs;
import io.ortune.runtime.NativeTensor;
import io.ortune.runtime.OrtRuntime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Loads the written eval and training models into plain ONNX Runtime inference sessions (no training API): the eval
 * model must compute the loss, and the training model's {@code InPlaceAccumulatorV2} nodes must write the
 * hand-computed gradients into the buffers fed to them, reset by {@code lazy_reset_grad} and accumulated without it.
 *
 * <p>Tolerance: float32 on inputs of magnitude ≤ 3 with N=4, D=3; every reference is computed in double, so
 * {@code atol = rtol = 1e-6} covers the rounding of a few float32 operations.
 */
class OrtArtifactInferenceTest {

    private static final double TOL = 1e-6;

    @TempDir
    static Path dir;
    static ArtifactSet.ArtifactFiles files;
    static LinearRegressionFixture f;

    @BeforeAll
    static void writeArtifacts() throws IOException {
        assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
        f = new LinearRegressionFixture();
        files = TrainingArtifacts.build(f.model, f.loss, f.gradients, List.of("W", "b"), List.of()).write(dir);
    }

    @Test
    void evalModelComputesTheLoss() {
        try (InferenceSession s = InferenceSession.open(files.evalModel())) {
            assertThat(s.inputNames()).containsExactly("x", "t", "W", "b");
            Map<String, Tensor> feeds = new LinkedHashMap<>();
            feeds.put("x", f.xTensor());
            feeds.put("t", f.tTensor());
            feeds.put("W", Tensor.ofFloats("W", new long[] {3, 1}, f.w0));
            feeds.put("b", Tensor.ofFloats("b", new long[] {1}, f.b0));
            Map<String, Tensor> out = s.run(feeds);
            assertThat(out.keySet()).containsExactly("loss", "y");
            float expected = (float) f.loss(f.w0, f.b0);
            Close.assertAllClose("loss", new float[] {expected}, out.get("loss").toFloats(), TOL, TOL);
        }
    }

    @Test
    void trainingModelAccumulatesHandComputedGradientsIntoTheBuffers() {
        double[][] g = f.gradients(f.w0, f.b0);
        float[] dw = toFloats(g[0]);
        float[] db = toFloats(g[1]);
        ByteBuffer wBuf = direct(new float[] {99f, 99f, 99f}); // garbage: reset must overwrite it
        ByteBuffer bBuf = direct(new float[] {99f});
        ByteBuffer reset = ByteBuffer.allocateDirect(1).put(0, (byte) 1);
        try (InferenceSession s = InferenceSession.open(files.trainingModel());
             NativeTensor x = NativeTensor.wrap(DataType.FLOAT, new long[] {4, 3}, direct(f.x()));
             NativeTensor t = NativeTensor.wrap(DataType.FLOAT, new long[] {4, 1}, direct(f.t()));
             NativeTensor w = NativeTensor.wrap(DataType.FLOAT, new long[] {3, 1}, direct(f.w0));
             NativeTensor b = NativeTensor.wrap(DataType.FLOAT, new long[] {1}, direct(f.b0));
             NativeTensor wg = NativeTensor.wrap(DataType.FLOAT, new long[] {3, 1}, wBuf);
             NativeTensor bg = NativeTensor.wrap(DataType.FLOAT, new long[] {1}, bBuf);
             NativeTensor r = NativeTensor.wrap(DataType.BOOL, new long[] {1}, reset)) {
            Map<String, NativeTensor> feeds = new LinkedHashMap<>();
            feeds.put("x", x);
            feeds.put("t", t);
            feeds.put("W", w);
            feeds.put("b", b);
            feeds.put("W_grad.accumulation.buffer", wg);
            feeds.put("b_grad.accumulation.buffer", bg);
            feeds.put("lazy_reset_grad", r);
            try (NativeOutputs out = s.runNative(feeds, List.of())) {
                assertThat(out.names()).containsExactly("loss", "y", "W_grad.accumulation.out",
                        "b_grad.accumulation.out");
            }
            Close.assertAllClose("dW after reset", dw, floats(wBuf), TOL, TOL);
            Close.assertAllClose("db after reset", db, floats(bBuf), TOL, TOL);

            reset.put(0, (byte) 0);
            try (NativeOutputs out = s.runNative(feeds, List.of())) {
                assertThat(out.get("W_grad.accumulation.out").buffer().get(0)).isEqualTo((byte) 1);
            }
            Close.assertAllClose("dW accumulated twice", scale(dw, 2), floats(wBuf), TOL, TOL);
            Close.assertAllClose("db accumulated twice", scale(db, 2), floats(bBuf), TOL, TOL);
        }
    }

    static ByteBuffer direct(float[] v) {
        ByteBuffer b = ByteBuffer.allocateDirect(v.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b;
    }

    static float[] floats(ByteBuffer b) {
        float[] out = new float[b.capacity() / 4];
        b.duplicate().order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(out);
        return out;
    }

    static float[] toFloats(double[] d) {
        float[] out = new float[d.length];
        for (int i = 0; i < d.length; i++) {
            out[i] = (float) d[i];
        }
        return out;
    }

    static float[] scale(float[] v, float k) {
        float[] out = v.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] *= k;
        }
        return out;
    }
}
