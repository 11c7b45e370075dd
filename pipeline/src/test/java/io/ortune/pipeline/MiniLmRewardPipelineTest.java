package io.ortune.pipeline;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled default (all-MiniLM-L6-v2 QLoRA reward model) shortened to 64 pairs and 8 steps, base → merge: the
 * evaluate stage's pairwise accuracy, measured on {@code reward_model.onnx} with ONNX Runtime one padded batch of
 * pairs at a time, agrees with the trainer's own final evaluation within one pair (padding may flip a float32
 * near-tie), and the bundled model's import is recorded (opset lift, tokenizer).
 */
class MiniLmRewardPipelineTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        TestPipelines.requireTraining();
    }

    @Test
    void shortenedDefaultPipelineMeasuresHeldOutAccuracyOnTheExportedRewardModel() throws Exception {
        String text;
        try (var in = getClass().getResourceAsStream("/pipelines/minilm-reward.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String shortened = text.replace("examples: 400", "examples: 64").replace("max-steps: 60", "max-steps: 8")
                .replace("max-length: 48", "max-length: 24").replace("eval-fraction: 0.2", "eval-fraction: 0.25");
        assertThat(shortened).contains("examples: 64", "max-steps: 8", "max-length: 24", "eval-fraction: 0.25");
        PipelineConfig c = PipelineConfig.parse(shortened, "minilm (short)", TestPipelines.root())
                .upTo(StageName.MERGE);
        Pipeline.Result r = Pipeline.run(c, dir, PipelineListener.NONE);
        StageManifest base = r.stages().get(0);
        assertThat(base.summary().get("opset").asInt()).isEqualTo(13);
        assertThat(base.outputs()).extracting(FileHash::name).containsExactly("model", "tokenizer");
        assertThat(base.inputs().get(0).name()).isEqualTo("bundled/all-minilm-l6-v2");
        StageManifest eval = r.stages().get(3);
        assertThat(eval.summary().get("metric").asText()).isEqualTo("pairwise_accuracy");
        assertThat(eval.summary().get("heldout_rows").asInt()).isEqualTo(16);
        double after = eval.summary().get("after").asDouble();
        double trainer = eval.summary().get("trainer_after").asDouble();
        assertThat(Math.abs(after - trainer)).as("ORT re-measurement %s vs trainer %s", after, trainer)
                .isLessThanOrEqualTo(1.0 / 16 + 1e-9);
        assertThat(eval.summary().get("before").asDouble()).isBetween(0.0, 1.0);
        assertThat(eval.summary().get("loss_after").asDouble()).isPositive();
        // the merged scoring model (NF4 dequantized, LoRA folded) scores held-out pairs as the unmerged QLoRA one,
        // up to float32 summation order (scores are O(1): atol 1e-3)
        StageManifest merge = r.stages().get(4);
        assertThat(merge.summary().get("modules").asInt()).as("query and value of 6 layers").isEqualTo(12);
        assertThat(merge.summary().get("max_abs_diff").asDouble()).isLessThanOrEqualTo(1e-3);
    }
}
