package io.ortune.pipeline;

import com.fasterxml.jackson.databind.JsonNode;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The bundled stories260K decoder pipeline, shortened: base → inject → train (QLoRA, 30 of its 60 steps) →
 * evaluate → merge → quantize (int8, int4) → compile (skipped without a GPU) → bench (generation, 8 new tokens,
 * 10 runs) → report. The evaluate stage measures the held-out next-token loss of the base and of the trained model with ONNX
 * Runtime; QLoRA must lower it clearly.
 */
class StoriesPipelineTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        TestPipelines.requireTraining();
    }

    @Test
    void bundledDecoderPipelineLowersHeldOutLoss() throws Exception {
        String text;
        try (var in = getClass().getResourceAsStream("/pipelines/stories260k-decoder.yaml")) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertThat(text).contains("max-steps: 60");
        PipelineConfig c = PipelineConfig.parse(text.replace("max-steps: 60", "max-steps: 30")
                .replace("new-tokens: 32", "new-tokens: 8").replace("calibration-samples: 32", "calibration-samples: 8"),
                "stories (short)", TestPipelines.root());
        Pipeline.Result r = Pipeline.run(c, dir, PipelineListener.printing(System.out));
        StageManifest train = r.stages().get(2);
        assertThat(train.outputs()).extracting(FileHash::name).contains("adapter/adapter_config.json",
                "adapter/adapter_model.safetensors");
        StageManifest eval = r.stages().get(3);
        assertThat(eval.stage()).isEqualTo("evaluate");
        double before = eval.summary().get("before").asDouble();
        double after = eval.summary().get("after").asDouble();
        // the successor map is deterministic given the previous id: a model that learned it has near-zero loss;
        // the pretrained model sees an unfamiliar id order (loss of several nats)
        assertThat(before).as("held-out loss of the base model").isGreaterThan(3.0);
        assertThat(after).as("held-out loss after 30 QLoRA steps (before %s)", before).isLessThan(before - 1.0);
        // merged (NF4 base dequantized, adapter folded) vs unmerged QLoRA model on held-out rows: logits of
        // magnitude ~10 agree to float32 rounding of a different summation order (atol 1e-3)
        StageManifest merge = r.stages().get(4);
        assertThat(merge.stage()).isEqualTo("merge");
        assertThat(merge.summary().get("into").asText()).isEqualTo("dequantized");
        assertThat(merge.summary().get("modules").asInt()).isEqualTo(35);
        assertThat(merge.summary().get("max_abs_diff").asDouble()).isLessThanOrEqualTo(1e-3);
        // int8 (static QDQ) and int4 (MatMulNBits) vs the merged float model on the held-out rows
        StageManifest quant = r.stages().get(5);
        for (String mode : new String[] {"int8", "int4"}) {
            JsonNode q = quant.summary().get(mode);
            assertThat(q.get("kl_mean").asDouble()).as(mode + " KL").isBetween(0.0, 1.0);
            assertThat(q.get("top1_agreement").asDouble()).as(mode + " top-1").isBetween(0.5, 1.0);
            assertThat(q.get("perplexity_delta").asDouble()).isCloseTo(q.get("perplexity_quantized").asDouble()
                    - q.get("perplexity_float").asDouble(), Offset.offset(1e-9));
        }
        assertThat(r.stages().get(6).stage()).isEqualTo("compile");
        StageManifest bench = r.stages().get(7);
        // the merge restores each weight's own layout ([out, in] for nn.Linear), so both float models rebuild into
        // their KV-cache form
        assertThat(bench.summary().has("generation_skipped")).as("generation bench ran: %s",
                bench.summary().path("generation_skipped").asText()).isFalse();
        JsonNode gen = bench.summary().get("generation");
        assertThat(gen.fieldNames()).toIterable().containsExactlyInAnyOrder("fp32-kv@b1", "merged-kv@b1");
        for (String k : new String[] {"fp32-kv@b1", "merged-kv@b1"}) {
            assertThat(gen.get(k).get("tpot_p50_ms").asDouble()).as(k + " TPOT").isPositive();
            assertThat(gen.get(k).get("ttft_p50_ms").asDouble()).as(k + " TTFT").isPositive();
        }
        assertThat(r.stageDir(StageName.REPORT).resolve("report.html")).isRegularFile();
    }
}
