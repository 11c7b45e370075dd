package io.ortune.cli;

import io.ortune.graph.ir.Model;
import io.ortune.graph.ir.Tensor;
import io.ortune.graph.ir.Value;
import io.ortune.graph.onnx.OnnxReader;
import io.ortune.graph.onnx.OnnxWriter;
import io.ortune.models.arch.Form;
import io.ortune.models.arch.ModelFactory;
import io.ortune.models.config.ModelConfigs;
import io.ortune.runtime.InferenceSession;
import io.ortune.runtime.OrtRuntime;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ortune train --objective reward} end to end on a tiny GPT-2 and pre-tokenized preference pairs: the run
 * writes {@code reward_model.onnx} whose single output {@code score} is [batch]; bad objective flags are usage
 * errors (exit 2) that say what is expected.
 */
class HeadObjectivesCommandTest {

    @TempDir
    Path dir;

    @BeforeAll
    static void runtime() {
        Assumptions.assumeTrue(OrtRuntime.isAvailable() && OrtRuntime.get().isTrainingAvailable(),
                "ONNX Runtime with training is not available");
    }

    private Path model() throws IOException {
        Path p = dir.resolve("tiny.onnx");
        OnnxWriter.write(ModelFactory.randomInit(ModelConfigs.parse("{\"model_type\":\"gpt2\",\"vocab_size\":50,"
                + "\"n_positions\":32,\"n_embd\":16,\"n_layer\":2,\"n_head\":2}", "t"), 1, Form.TRAINING), p);
        return p;
    }

    private Path pairs(int n) throws IOException {
        Random r = new Random(4);
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < n; i++) {
            s.append("{\"prompt_ids\":[").append(1 + r.nextInt(40)).append(',').append(1 + r.nextInt(40))
                    .append("],\"chosen_ids\":[45,46").append(i % 2 == 0 ? ",47" : "").append("],\"rejected_ids\":[")
                    .append(2 + r.nextInt(30)).append("]}\n");
        }
        Path p = dir.resolve("pairs.jsonl");
        Files.writeString(p, s.toString());
        return p;
    }

    @Test
    void rewardRunWritesAScoringModelWithScorePerRow() throws IOException {
        Path out = dir.resolve("run");
        CliRun r = CliRun.of("train", "--model", model().toString(), "--data", pairs(16).toString(), "--out",
                out.toString(), "--objective", "reward", "--batch-size", "4", "--max-steps", "3", "--threads", "1",
                "--eval-fraction", "0.25", "--lr", "0.01");
        assertThat(r.exit()).as(r.toString()).isEqualTo(0);
        assertThat(r.out()).contains("12 training and 4 held-out pairs", "accuracy", "reward_model.onnx");
        Path rm = out.resolve("reward_model.onnx");
        Model m = OnnxReader.read(rm);
        assertThat(m.graph().outputs()).extracting(Value::name).containsExactly("score");
        try (InferenceSession s = InferenceSession.open(rm)) {
            long[] dims = {3, 4};
            Tensor score = s.run(Map.of("input_ids", Tensor.ofLongs("input_ids", dims, new long[12]),
                    "attention_mask", Tensor.ofLongs("attention_mask", dims, 1, 1, 1, 1, 1, 1, 0, 0, 1, 0, 0, 0)),
                    List.of("score")).get("score");
            assertThat(score.dims()).containsExactly(3);
        }
        assertThat(Files.readString(out.resolve("eval.jsonl"))).contains("\"eval_accuracy\"");
    }

    @Test
    void badObjectiveFlagsAreUsageErrors() throws IOException {
        CliRun r = CliRun.of("train", "--model", model().toString(), "--data", pairs(4).toString(), "--out",
                dir.resolve("x").toString(), "--objective", "ranking");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("unknown objective 'ranking'", "causal-lm", "reward", "classification");
        CliRun c = CliRun.of("train", "--model", model().toString(), "--data", pairs(4).toString(), "--out",
                dir.resolve("y").toString(), "--objective", "classification");
        assertThat(c.exit()).isEqualTo(2);
        assertThat(c.err()).contains("--num-labels");
    }
}
