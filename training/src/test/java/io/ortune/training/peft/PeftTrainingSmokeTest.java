package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.runtime.OrtRuntime;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.data.Collator;
import io.ortune.training.data.Example;
import io.ortune.training.trainer.LrSchedule;
import io.ortune.training.trainer.TrainRequest;
import io.ortune.training.trainer.TrainResult;
import io.ortune.training.trainer.Trainer;
import io.ortune.training.trainer.TrainerConfig;
import io.ortune.training.trainer.TrainingListener;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Injected models go through ONNX Runtime training as they are: LoRA with training-only dropout on GPT-2 and DoRA
 * (float64 norm, stop-gradient Identity) on Llama train only their adapter tensors and lower the loss.
 */
class PeftTrainingSmokeTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable(), "ONNX Runtime natives cannot be loaded on this machine");
        Assumptions.assumeTrue(OrtRuntime.get().isTrainingAvailable(), "the loaded ONNX Runtime has no training API");
    }

    @Test
    void loraWithDropoutOnGpt2Trains() throws Exception {
        train(PeftModels.gpt2(Form.TRAINING), LoraConfig.of("c_attn,c_proj").withR(4).withAlpha(16)
                .withDropout(0.1), dir.resolve("lora"));
    }

    @Test
    void doraOnLlamaTrains() throws Exception {
        train(PeftModels.llama(Form.TRAINING), LoraConfig.of("q_proj,v_proj").withR(4).withAlpha(16).withDora(true),
                dir.resolve("dora"));
    }

    private static void train(Model base, LoraConfig cfg, Path run) throws Exception {
        Model injected = new LoraPass(cfg).inject(base).model();
        List<String> trainable = new ArrayList<>(PeftMetadata.trainable(injected).orElseThrow());
        List<Example> rows = rows();
        TrainerConfig tc = TrainerConfig.builder().optimizer("sgd").lr(0.5).schedule(LrSchedule.Kind.CONSTANT)
                .warmupSteps(0).maxGradNorm(0).threads(1).shuffle(false).keepCheckpoints(0).batchSize(4)
                .maxSteps(15).trainable(TrainableSet.names(trainable)).build();
        TrainResult r = Trainer.train(new TrainRequest(injected, rows, rows, new Collator(0), run, tc, false),
                TrainingListener.NONE);
        assertThat(r.steps()).isEqualTo(15);
        assertThat(r.finalEval().loss()).as("loss after 15 steps vs before").isLessThan(r.initialEval().loss() - 0.05);
        Model trained = OnnxReader.read(r.model());
        String a = trainable.get(0);
        String module = a.substring(0, a.indexOf(".lora_"));
        assertThat(trained.graph().initializer(module + ".weight").constant().contentEquals(
                injected.graph().initializer(module + ".weight").constant())).as("the base weight is frozen").isTrue();
        String b = module + ".lora_B." + cfg.adapterName() + ".weight";
        assertThat(trained.graph().initializer(b).constant().contentEquals(injected.graph().initializer(b).constant()))
                .as("B trained").isFalse();
        assertThat(PeftMetadata.adapters(trained)).isEqualTo(PeftMetadata.adapters(injected));
    }

    private static List<Example> rows() {
        Random r = new Random(5);
        List<Example> rows = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            int[] ids = new int[10];
            for (int t = 0; t < ids.length; t++) {
                ids[t] = r.nextInt(40);
            }
            rows.add(Example.causal(ids));
        }
        return rows;
    }
}
