package io.ortune.training.peft;

import static org.assertj.core.api.Assertions.assertThat;

import io.ortune.graph.ir.Model;
import io.ortune.graph.peft.LoraConfig;
import io.ortune.graph.peft.LoraPass;
import io.ortune.graph.peft.PeftMetadata;
import io.ortune.models.arch.Form;
import io.ortune.training.artifacts.OptimizerConfig;
import io.ortune.training.autodiff.TrainableSet;
import io.ortune.training.trainer.TrainingGraphs;
import org.junit.jupiter.api.Test;

/** LoRA dropout trains but never evaluates: the eval artifact has no training-only node. */
class DropoutInEvalTest {

    @Test
    void evalModelLeavesLoraDropoutOutAndTheTrainingModelKeepsIt() {
        Model m = new LoraPass(LoraConfig.of("c_attn").withDropout(0.5)).inject(PeftModels.gpt2(Form.TRAINING))
                .model();
        TrainingGraphs.Built built = TrainingGraphs.build(m, TrainableSet.names(PeftMetadata.trainable(m)
                .orElseThrow(() -> new AssertionError("no trainable record"))), OptimizerConfig.AdamW.defaults(), false);
        assertThat(built.artifacts().trainingModel().graph().nodes()).filteredOn(n -> n.opType().equals("Dropout"))
                .hasSize(2);
        assertThat(built.artifacts().evalModel().graph().nodes()).noneMatch(n -> n.opType().equals("Dropout"));
    }
}
