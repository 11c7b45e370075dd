package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffOptions;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.data.Batch;
import io.ortune.training.data.Example;
import io.ortune.training.objective.CausalLmObjective;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One SGD step with learning rate 1, no decay and no clipping moves every parameter by exactly minus its gradient.
 * The reference gradient comes from a separate path: autodiff with standard ONNX ops only (the trainer uses ONNX
 * Runtime's fused gradient kernels), run as an inference model in ONNX Runtime.
 *
 * <p>Tolerance {@code |Δp + g| ≤ 1e-6 + 1e-4·|g|}: the update {@code p - g} rounds to float32 once (≤ 6e-8 for
 * |p| ≤ 1) and the two gradient graphs sum in different orders (relative 1e-6 of the largest entry).
 */
class SgdStepTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Checks.assumeTraining();
    }

    @Test
    void oneSgdStepSubtractsTheGradient() throws IOException {
        Model model = TinyLm.gpt2();
        List<Example> rows = TinyLm.rows(4, 12, 1);
        TrainerConfig cfg = TinyLm.sgd(1.0).batchSize(4).maxSteps(1).build();
        TrainResult r = Trainer.train(new TrainRequest(model, rows, List.of(), TinyLm.collator(), dir, cfg, false),
                TrainingListener.NONE);
        assertThat(r.steps()).isEqualTo(1);

        Map<String, Tensor> after = ModelExport.parameters(r.lastCheckpoint().resolve("checkpoint"));
        Map<String, Tensor> grads = referenceGradients(model, TinyLm.collator().collate(rows));
        assertThat(grads.keySet()).isEqualTo(after.keySet());
        for (String p : grads.keySet()) {
            float[] before = model.graph().initializer(p).constant().toFloats();
            float[] now = after.get(p).toFloats();
            float[] g = grads.get(p).toFloats();
            float[] delta = new float[g.length];
            float[] expected = new float[g.length];
            for (int i = 0; i < g.length; i++) {
                delta[i] = now[i] - before[i];
                expected[i] = -g[i];
            }
            Checks.assertClose("change of " + p + " after one SGD step", delta, expected, 1e-6, 1e-4);
        }
    }

    /** d loss / d p for every parameter, from autodiff with standard ops run in an inference session. */
    static Map<String, Tensor> referenceGradients(Model model, Batch batch) throws IOException {
        CausalLmObjective.Appended obj = CausalLmObjective.append(model);
        AutodiffResult r = Autodiff.differentiate(obj.model(), CausalLmObjective.SCALED_LOSS, TrainableSet.all(),
                AutodiffOptions.defaults());
        Map<String, Tensor> feeds = batch.feeds();
        feeds.put(CausalLmObjective.LOSS_SCALE, Tensor.scalarFloat(CausalLmObjective.LOSS_SCALE, 1f));
        List<String> outputs = new ArrayList<>();
        r.gradients().values().forEach(v -> outputs.add(v.name()));
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(r.model()))) {
            Map<String, Tensor> out = s.run(feeds, outputs);
            Map<String, Tensor> byParam = new java.util.LinkedHashMap<>();
            r.gradients().forEach((p, v) -> byParam.put(p, out.get(v.name())));
            return byParam;
        }
    }

    static boolean available() {
        return OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable();
    }
}
