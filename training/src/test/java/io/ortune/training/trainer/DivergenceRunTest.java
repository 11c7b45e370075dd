package io.ortune.training.trainer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.ortune.training.data.Example;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run whose learning rate warms up to an absurd value: the loss first spikes, later turns non-finite; the failure
 * names the checkpoint before the spike, which the rotation (keep 2) kept.
 */
class DivergenceRunTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Checks.assumeTraining();
    }

    @Test
    void failureNamesTheLastCheckpointBeforeTheSpike() throws IOException {
        List<Example> rows = TinyLm.rows(4, 12, 3);
        TrainerConfig cfg = TinyLm.sgd(3e4).schedule(LrSchedule.Kind.CONSTANT).warmupSteps(12).batchSize(1)
                .maxSteps(40).saveEvery(1).keepCheckpoints(2).build();
        NonFiniteLossException e = catchThrowableOfType(() -> Trainer.train(new TrainRequest(TinyLm.gpt2(), rows,
                List.of(), TinyLm.collator(), dir, cfg, false), TrainingListener.NONE), NonFiniteLossException.class);
        List<String> log = Files.readAllLines(dir.resolve(Trainer.METRICS), StandardCharsets.UTF_8);
        assertThat(e).as("metrics:\n%s", String.join("\n", log)).isNotNull();
        assertThat(e.divergenceStep()).as(e.getMessage()).isLessThan(e.step());
        assertThat(log.get((int) e.divergenceStep() - 1)).contains("\"loss_spike\":true");
        assertThat(log.get((int) e.divergenceStep() - 2)).contains("\"loss_spike\":false");
        Path good = e.lastGoodCheckpoint().orElseThrow();
        assertThat(TrainerState.read(good).step()).isLessThan(e.divergenceStep());
        assertThat(e.getMessage()).contains("divergence began at step " + e.divergenceStep(), good.toString());
    }
}
