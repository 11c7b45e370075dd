package io.ortune.pipeline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * An interrupted train stage (the process dies after the checkpoint at step 4 of 8) resumes on the next run from
 * that checkpoint (not from step 0), and ends where the uninterrupted run ends: the same steps with the same losses
 * up to float32 reduction order (two ORT threads sum in varying order: two uninterrupted runs already differ in the
 * 7th digit), tolerance |a−b| ≤ 1e-4 + 1e-5·|b|.
 */
class PipelineResumeTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        TestPipelines.requireTraining();
    }

    static final class Interrupted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Interrupted() {
            super("simulated crash after the checkpoint at step 4");
        }
    }

    @Test
    void interruptedTrainingResumesFromItsCheckpointAndMatchesAnUninterruptedRun() throws Exception {
        PipelineConfig c = PipelineConfig.parse(TestPipelines.stories(8, 0.01, 4), "test", TestPipelines.root())
                .upTo(StageName.TRAIN);
        Path straight = dir.resolve("straight");
        Pipeline.Result whole = Pipeline.run(c, straight, PipelineListener.NONE);

        Path crashed = dir.resolve("crashed");
        PipelineListener crash = new PipelineListener() {
            @Override
            public void onProgress(StageName stage, String line) {
                if (line.equals("checkpoint at step 4")) {
                    throw new Interrupted();
                }
            }
        };
        assertThatThrownBy(() -> Pipeline.run(c, crashed, crash)).isInstanceOf(PipelineException.class)
                .hasMessageContaining("stage 'train' (3/3) failed: simulated crash")
                .hasMessageContaining("a rerun resumes it from its newest checkpoint");
        Path train = crashed.resolve("stages/03-train");
        assertThat(train.resolve(StageManifest.FILE)).doesNotExist();
        assertThat(train.resolve(StageRunner.PENDING)).isRegularFile();
        assertThat(train.resolve("run/checkpoints/latest")).hasContent("step-000004");

        List<String> lines = new java.util.ArrayList<>();
        Pipeline.Result resumed = Pipeline.run(c, crashed, new PipelineListener() {
            @Override
            public void onProgress(StageName stage, String line) {
                lines.add(line);
            }
        });
        assertThat(resumed.plan()).extracting(Pipeline.Planned::action).containsExactly(Pipeline.Action.SKIP,
                Pipeline.Action.SKIP, Pipeline.Action.RESUME);
        assertThat(lines).anyMatch(l -> l.startsWith("resuming ") && l.contains("(step 4)"));
        assertThat(lines).contains("training steps 5..8 (11 batches per epoch)");
        StageManifest m = resumed.stages().get(2);
        assertThat(m.resumed()).isTrue();
        assertThat(m.key()).isEqualTo(whole.stages().get(2).key());
        assertThat(m.summary().get("steps").asLong()).isEqualTo(8);
        assertThat(m.summary().has("eval_before")).as("step-0 evaluation kept from before the crash").isTrue();
        double[][] a = losses(train.resolve("run/metrics.jsonl"));
        double[][] b = losses(straight.resolve("stages/03-train/run/metrics.jsonl"));
        assertThat(a.length).isEqualTo(8);
        assertThat(b.length).isEqualTo(8);
        for (int i = 0; i < 8; i++) {
            assertThat(a[i][0]).isEqualTo(i + 1);
            assertThat(Math.abs(a[i][1] - b[i][1])).as("loss at step %d: resumed %s vs straight %s", i + 1, a[i][1],
                    b[i][1]).isLessThanOrEqualTo(1e-4 + 1e-5 * Math.abs(b[i][1]));
        }
        assertThat(m.output(train, "model")).hasValueSatisfying(p -> assertThat(p).isRegularFile());
    }

    /** [step, loss] per line of a metrics.jsonl. */
    private static double[][] losses(Path metrics) throws Exception {
        var json = new com.fasterxml.jackson.databind.ObjectMapper();
        return Files.readAllLines(metrics).stream().filter(l -> !l.isBlank()).map(l -> {
            try {
                var o = json.readTree(l);
                return new double[] {o.get("step").asDouble(), o.get("loss").asDouble()};
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).toArray(double[][]::new);
    }
}
