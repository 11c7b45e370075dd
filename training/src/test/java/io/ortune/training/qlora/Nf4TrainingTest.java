package io.ortune.training.qlora;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.DataType;
import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import io.ortune.training.artifacts.Checkpoint;
import io.ortune.training.artifacts.CheckpointReader;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffOptions;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.trainer.LrSchedule;
import io.ortune.training.trainer.TrainRequest;
import io.ortune.training.trainer.TrainResult;
import io.ortune.training.trainer.Trainer;
import io.ortune.training.trainer.TrainerConfig;
import io.ortune.training.trainer.TrainingListener;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Training through NF4 weights: gradients that flow through {@code MatMulBnb4} to parameters upstream equal those of
 * the float model with the round-tripped weights, and the trainer keeps the codes as frozen uint8 state.
 */
class Nf4TrainingTest {

    static void assumeTraining() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not loadable here");
    }

    /** d loss / d p of the norms (every linear of both blocks lies between them and the loss). */
    static Map<String, float[]> normGradients(Model model) throws Exception {
        return gradients(model, TrainableSet.matching(".*norm.*"));
    }

    /** d (causal-LM loss) / d p for every parameter of {@code trainable}, on {@link Nf4ModelTest#feeds()}. */
    static Map<String, float[]> gradients(Model model, TrainableSet trainable) throws Exception {
        CausalLmObjective.Appended obj = CausalLmObjective.append(
                new io.ortune.graph.pass.ShapeInferencePass().run(model).model());
        AutodiffResult r = Autodiff.differentiate(obj.model(), CausalLmObjective.SCALED_LOSS, trainable,
                AutodiffOptions.defaults());
        Map<String, Tensor> feeds = new LinkedHashMap<>(Nf4ModelTest.feeds());
        feeds.put("labels", feeds.get("input_ids").withName("labels"));
        feeds.put(CausalLmObjective.LOSS_SCALE, Tensor.scalarFloat(CausalLmObjective.LOSS_SCALE, 1f));
        List<String> outs = new ArrayList<>();
        r.gradients().values().forEach(v -> outs.add(v.name()));
        Map<String, float[]> byParam = new LinkedHashMap<>();
        try (InferenceSession s = InferenceSession.fromBytes(OnnxWriter.toBytes(r.model()), Nf4ModelTest.EXACT,
                "grads")) {
            Map<String, Tensor> out = s.run(feeds, outs);
            r.gradients().forEach((p, v) -> byParam.put(p, out.get(v.name()).toFloats()));
        }
        return byParam;
    }

    @Test
    void gradientsThroughNf4EqualThoseOfTheRoundTrippedFloatModel() throws Exception {
        assumeTraining();
        Model base = Nf4ModelTest.tinyLlama();
        Nf4Config cfg = Nf4Config.defaults().withDoubleQuant(true);
        Map<String, float[]> nf4 = normGradients(new Nf4QuantizePass(cfg).quantize(base).model());
        Map<String, float[]> ref = normGradients(Nf4ModelTest.roundTripFloat(base, cfg));
        assertThat(nf4.keySet()).isEqualTo(ref.keySet()).hasSize(5);
        for (String p : ref.keySet()) {
            float[] a = nf4.get(p);
            float[] b = ref.get(p);
            double num = 0;
            double den = 0;
            for (int i = 0; i < a.length; i++) {
                num += (a[i] - b[i]) * (double) (a[i] - b[i]);
                den += (double) b[i] * b[i];
            }
            // Same weights on both sides, different kernels: float32 rounding, relative to the gradient's norm.
            assertThat(Math.sqrt(num / den)).as("relative error of d loss / d %s", p).isLessThanOrEqualTo(1e-4);
        }
    }

    @Test
    void trainerKeepsCodesAsFrozenUint8StateAndExportsTheNf4Model(@TempDir Path dir) throws Exception {
        assumeTraining();
        Model nf4 = new Nf4QuantizePass(Nf4Config.defaults()).quantize(Nf4ModelTest.tinyLlama()).model();
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            int[] ids = new int[12];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = 10 + (i + t) % 6;
            }
            rows.add(Example.causal(ids));
        }
        TrainerConfig cfg = TrainerConfig.builder().optimizer("adamw").lr(0.05).schedule(LrSchedule.Kind.CONSTANT)
                .warmupSteps(0).threads(1).shuffle(false).keepCheckpoints(0).maxSteps(12).batchSize(4).evalEvery(12)
                .trainable(TrainableSet.matching(".*norm.*|lm_head.*")).build();
        TrainResult r = Trainer.train(new TrainRequest(nf4, rows, rows.subList(0, 4), new Collator(0),
                dir.resolve("run"), cfg, false), TrainingListener.NONE);
        assertThat(r.finalEval().loss()).isLessThan(r.initialEval().loss());
        Checkpoint c = CheckpointReader.read(dir.resolve("run/artifacts/checkpoint"));
        assertThat(c.frozenParams()).filteredOn(t -> t.name().endsWith(".nf4"))
                .hasSize(14).allMatch(t -> t.dtype() == DataType.UINT8);
        Model exported = OnnxReader.read(r.model());
        assertThat(exported.graph().nodes()).filteredOn(n -> n.opType().equals("MatMulBnb4")).hasSize(14);
    }
}
