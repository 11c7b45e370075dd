package io.ortune.bench.train;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Value;
import io.ortune.graph.pass.ShapeInferencePass;
import io.ortune.graph.peft.Injection;
import io.ortune.graph.peft.LoraPass;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.Gpt2Config;
import io.ortune.models.config.ModelConfigs;
import io.ortune.training.artifacts.ArtifactRequest;
import io.ortune.training.artifacts.ArtifactSet;
import io.ortune.training.artifacts.OptimizerConfig;
import io.ortune.training.artifacts.TrainingArtifacts;
import io.ortune.training.autodiff.Autodiff;
import io.ortune.training.autodiff.AutodiffOptions;
import io.ortune.training.autodiff.AutodiffResult;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.objective.CausalLmObjective;
import io.ortune.training.trainer.Trainables;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds and writes the training artifacts of one {@link TrainMode}: the GPT-2-small-shaped model with seeded random
 * weights in its training form, the causal-LM loss appended by {@link CausalLmObjective} (logits[:, :-1] against
 * labels[:, 1:], SoftmaxCrossEntropyLoss mean, ignore_index -100), ortune's autodiff of the loss, and ONNX Runtime
 * artifacts with AdamW.
 *
 * <p>LoRA settings first run {@link LoraPass} over the model (as {@code ortune train --peft lora} does) and train the
 * set the pass records ({@link Trainables}, as the trainer reads it): the adapters, base frozen.
 *
 * <p>This is the trainer's pipeline ({@code TrainingGraphs}) without its extra {@code grad_sq_norm} output, so a
 * timed step is TrainStep + OptimizerStep + LazyResetGrad and nothing else, as in the PyTorch peer.
 *
 * <p>Weight decay: ONNX Runtime runs one AdamW node for all parameters; ortune's {@code WeightDecayPolicy} (Hugging
 * Face's rule: no decay for biases and norm weights) therefore puts decay 0 in the node when the trainable set mixes
 * both, and the trainer applies {@code p *= 1 - lr·wd} itself. This benchmark does not run that trainer-side pass:
 * the AdamW node does the same element-wise work either way.
 */
public final class BenchArtifacts {

    /** GPT-2 small's shape (124M parameters), as tools/torch_bench.py builds it; dropout 0 like the script. */
    public static final String GPT2_SMALL = "{\"model_type\":\"gpt2\",\"n_embd\":768,\"n_layer\":12,\"n_head\":12,"
            + "\"vocab_size\":50257,\"n_positions\":1024,\"activation_function\":\"gelu_new\","
            + "\"attn_pdrop\":0.0,\"resid_pdrop\":0.0,\"embd_pdrop\":0.0}";

    /**
     * Written artifacts.
     *
     * @param mode              the setting
     * @param dir               the artifact folder
     * @param trainableElements parameters that train
     * @param frozenElements    parameters that do not
     * @param buildSeconds      model + objective + autodiff + artifacts, in memory
     * @param writeSeconds      writing the files
     * @param notes             autodiff summary and artifact notes, for the log
     */
    public record Built(TrainMode mode, Path dir, long trainableElements, long frozenElements, double buildSeconds,
                        double writeSeconds, List<String> notes) {
        public Built {
            notes = List.copyOf(notes);
        }
    }

    private BenchArtifacts() {
    }

    /** The benchmark's model config. */
    public static Gpt2Config config() {
        return ModelConfigs.parse(GPT2_SMALL, "GPT-2 small shape", Gpt2Config.class);
    }

    /** Builds the artifacts of {@code mode} and writes them into {@code dir}. */
    public static Built build(TrainMode mode, TrainBenchSettings s, Path dir, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        Gpt2Config c = config();
        Model forward = ModelFactory.randomInit(c, s.seed(), Form.TRAINING);
        TrainableSet trainable;
        String injected = null;
        if (mode.lora()) {
            Injection inj = new LoraPass(mode.loraConfig(s.seed())).inject(forward);
            forward = inj.model();
            injected = inj.report().summary();
            trainable = Trainables.of(null, null, forward);
        } else {
            trainable = mode.trainable(c.nLayer());
        }
        Model typed = new ShapeInferencePass().run(forward).model();
        CausalLmObjective.Appended obj = CausalLmObjective.append(typed);
        AutodiffOptions options = AutodiffOptions.defaults().withGradientsAsOutputs(false)
                .withOrtGradientKernels(s.ortGradKernels());
        AutodiffResult r = Autodiff.differentiate(obj.model(), CausalLmObjective.SCALED_LOSS,
                trainable, options);
        Value loss = r.model().graph().outputs().stream()
                .filter(v -> v.name().equals(CausalLmObjective.LOSS)).findFirst()
                .orElseThrow(() -> new IllegalStateException("autodiff dropped the loss output"));
        List<String> withGrad = new ArrayList<>(r.gradients().keySet());
        List<String> frozen = new ArrayList<>(r.frozen());
        for (String p : r.trainable()) {
            if (!r.gradients().containsKey(p)) {
                frozen.add(p);
            }
        }
        OptimizerConfig adamw = OptimizerConfig.AdamW.defaults().withWeightDecay(s.weightDecay());
        ArtifactSet set = TrainingArtifacts.build(ArtifactRequest.of(r.model(), loss, r.gradients(), withGrad, frozen)
                .withOptimizer(adamw));
        long t1 = System.nanoTime();
        set.write(dir);
        long t2 = System.nanoTime();
        List<String> notes = new ArrayList<>();
        if (injected != null) {
            notes.add(injected);
        }
        notes.add(r.report().summary());
        notes.addAll(set.summary().notes());
        log.printf("  %s: %,d trainable / %,d frozen parameters; built in %.1f s, written in %.1f s%n",
                mode.cliName(), set.summary().trainableElements(), set.summary().frozenElements(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9);
        return new Built(mode, dir, set.summary().trainableElements(), set.summary().frozenElements(),
                (t1 - t0) / 1e9, (t2 - t1) / 1e9, notes);
    }
}
