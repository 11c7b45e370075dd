package io.ortune.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled default (all-MiniLM-L6-v2 QLoRA reward model) shortened to 64 pairs and 8 steps, through all nine
 * stages (compile skipped without a GPU, bench at 10 runs): the evaluate stage's pairwise accuracy, measured on {@code reward_model.onnx} with ONNX Runtime one padded batch of
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
                .replace("max-length: 48", "max-length: 24").replace("eval-fraction: 0.2", "eval-fraction: 0.25")
                .replace("calibration-samples: 64", "calibration-samples: 16").replace("runs: 20", "runs: 10")
                .replace("seq: 128", "seq: 16").replace("batch: [1, 32]", "batch: [1, 4]\n  warmup: 1");
        assertThat(shortened).contains("examples: 64", "max-steps: 8", "max-length: 24", "eval-fraction: 0.25",
                "calibration-samples: 16", "runs: 10", "warmup: 1");
        PipelineConfig c = PipelineConfig.parse(shortened, "minilm (short)", TestPipelines.root());
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
        // int8 static QDQ of the merged model, measured on the held-out pairs against the merged float model
        StageManifest quant = r.stages().get(5);
        JsonNode int8 = quant.summary().get("int8");
        assertThat(int8.get("accuracy_float").asDouble()).as("merged float accuracy = evaluate's (same model "
                + "weights, padded batches)").isCloseTo(after, org.assertj.core.data.Offset.offset(1.0 / 16 + 1e-9));
        assertThat(int8.get("accuracy_delta").asDouble()).isEqualTo(int8.get("accuracy_quantized").asDouble()
                - int8.get("accuracy_float").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        // int8 keeps the scores' direction: cosine of the 32 held-out scores near 1
        assertThat(int8.get("score_cosine").asDouble()).isGreaterThan(0.9);
        assertThat(int8.get("quantized_bytes").asLong()).as("int8 weights; embeddings stay float")
                .isLessThan(int8.get("float_bytes").asLong());
        JsonNode qreport = new ObjectMapper().readTree(r.stageDir(StageName.QUANTIZE)
                .resolve("quantize-int8.json").toFile());
        assertThat(qreport.get("kind").asText()).isEqualTo("quantize");
        StageManifest compile = r.stages().get(6);
        assertThat(compile.stage()).isEqualTo("compile");
        StageManifest bench = r.stages().get(7);
        assertThat(bench.summary().get("p50_ms").fieldNames()).toIterable().containsExactlyInAnyOrder(
                "fp32@b1", "fp32@b4", "merged@b1", "merged@b4", "int8@b1", "int8@b4", "dynamic@b1", "dynamic@b4");
        JsonNode dynamic = quant.summary().get("dynamic");
        assertThat(dynamic.get("accuracy_delta").asDouble()).isEqualTo(dynamic.get("accuracy_quantized").asDouble()
                - dynamic.get("accuracy_float").asDouble(), org.assertj.core.data.Offset.offset(1e-12));
        assertThat(dynamic.get("score_cosine").asDouble()).isGreaterThan(0.9);
        assertThat(r.stageDir(StageName.BENCH).resolve("results.json")).isRegularFile();
        Path html = r.stageDir(StageName.REPORT).resolve("report.html");
        assertThat(html).isRegularFile();
        assertThat(r.stageDir(StageName.REPORT).resolve("report.md")).isRegularFile();
        assertThat(Files.readString(r.stageDir(StageName.REPORT).resolve("report.md"))).contains("quantize")
                .contains("evaluate").contains("merge");
    }
}
