package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.training.artifacts.CheckpointReader;
import io.ortune.training.data.Example;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A poisoned batch: position 20 of the position embedding is NaN and only the last training row is long enough to
 * reach it. Steps 1-3 train on short rows and are checkpointed; step 4 meets the long row, its loss is NaN, and the
 * run stops with a message naming the step and the last good checkpoint, which stays complete and loadable.
 */
class NonFiniteLossTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Checks.assumeTraining();
    }

    @Test
    void nanLossStopsAndKeepsTheLastCheckpoint() throws IOException {
        Model model = TinyLm.gpt2();
        Value wpe = model.graph().initializer("transformer.wpe.weight");
        float[] w = wpe.constant().toFloats();
        long[] dims = wpe.constant().dims();
        Arrays.fill(w, (int) (20 * dims[1]), (int) (21 * dims[1]), Float.NaN);
        model.graph().setInitializerTensor(wpe, Tensor.ofFloats(wpe.name(), dims, w));
        List<Example> rows = new ArrayList<>(TinyLm.rows(3, 10, 1));
        rows.addAll(TinyLm.rows(1, 24, 2));
        TrainerConfig cfg = TinyLm.sgd(0.1).batchSize(1).maxSteps(6).saveEvery(1).build();

        NonFiniteLossException e = catchThrowableOfType(() -> Trainer.train(new TrainRequest(model, rows, List.of(),
                TinyLm.collator(), dir, cfg, false), TrainingListener.NONE), NonFiniteLossException.class);
        assertThat(e).isNotNull();
        assertThat(e.step()).isEqualTo(4);
        assertThat(e.getMessage()).contains("step 4", "not finite", "step-000003");

        CheckpointDir checkpoints = new CheckpointDir(dir.resolve(Trainer.CHECKPOINTS), 0);
        Path last = checkpoints.latest().orElseThrow();
        assertThat(last.getFileName().toString()).isEqualTo("step-000003");
        assertThat(TrainerState.read(last).step()).isEqualTo(3);
        var ck = CheckpointReader.read(last.resolve(CheckpointDir.CHECKPOINT));
        for (Tensor t : ck.trainableParams()) {
            if (!t.name().equals("transformer.wpe.weight")) {
                for (float v : t.toFloats()) {
                    assertThat(Float.isFinite(v)).as("%s finite in the last checkpoint", t.name()).isTrue();
                }
            }
        }
        assertThat(ck.optimizerState()).isPresent();
        assertThat(Files.exists(dir.resolve(Trainer.MODEL))).as("no model exported from a failed run").isFalse();
    }
}
