package io.ortune.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ortune build} from a Hugging Face config (weights or random init, inline or external data, --arch checked),
 * and {@code ortune generate} with text in and out through the GPT-2 tokenizer (on a tiny random GPT-2 with
 * GPT-2's vocabulary).
 */
class BuildAndTextTest {

    @TempDir
    static Path dir;

    static Path tinyGpt2;

    @BeforeAll
    static void build() throws IOException {
        Path config = dir.resolve("config.json");
        Files.writeString(config, "{\"model_type\":\"gpt2\",\"n_embd\":16,\"n_layer\":1,\"n_head\":2,"
                + "\"vocab_size\":50257,\"n_positions\":64}");
        tinyGpt2 = dir.resolve("tiny-gpt2.onnx");
        CliRun r = CliRun.of("build", "--arch", "gpt2", "--config", config.toString(), "--random-init", "--seed", "3",
                "-o", tinyGpt2.toString(), "--external-data");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("with random weights (seed 3)", "gpt2 model", "training form",
                "of external data in tiny-gpt2.onnx.data");
        assertThat(dir.resolve("tiny-gpt2.onnx.data")).exists();
    }

    @Test
    void buildFromHuggingFaceWeights() {
        String fixture = "models/src/test/resources/golden/gpt2-tiny/";
        Path out = dir.resolve("gpt2-tiny-kv.onnx");
        CliRun r = CliRun.of("build", "--arch", "gpt2", "--config", CliRun.file(fixture + "config.json"), "--weights",
                CliRun.file(fixture + "model.safetensors"), "-o", out.toString(), "--kv-cache");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("kv-cache form").doesNotContain("external data");
        assertThat(out).exists();
    }

    @Test
    void archMismatchIsAUsageError() {
        String fixture = "models/src/test/resources/golden/gpt2-tiny/";
        CliRun r = CliRun.of("build", "--arch", "llama", "--config", CliRun.file(fixture + "config.json"),
                "--weights", CliRun.file(fixture + "model.safetensors"), "-o", dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.err()).contains("--arch llama", "gpt2");
        assertThat(CliRun.of("build", "--arch", "gpt2", "--config", CliRun.file(fixture + "config.json"),
                "-o", dir.resolve("x.onnx").toString()).exit()).as("neither --weights nor --random-init").isEqualTo(2);
    }

    @Test
    void missingWeightsFailWithOneLine() {
        String fixture = "models/src/test/resources/golden/gpt2-tiny/";
        CliRun r = CliRun.of("build", "--config", CliRun.file(fixture + "config.json"), "--weights",
                dir.resolve("none.safetensors").toString(), "-o", dir.resolve("x.onnx").toString());
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().split("\n")[0]).contains("none.safetensors", "not found");
    }

    @Test
    void textPromptStreamsTextAndJsonHasIt() throws IOException {
        String tokenizer = CliRun.file("testdata/tokenizers/gpt2");
        CliRun text = CliRun.of("generate", "--model", tinyGpt2.toString(), "--tokenizer", tokenizer, "--prompt",
                "Hello, w\u00f6rld", "--max-new-tokens", "12", "--ignore-eos");
        assertThat(text.exit()).as(text.toString()).isZero();
        CliRun json = CliRun.of("generate", "--model", tinyGpt2.toString(), "--tokenizer", tokenizer, "--prompt",
                "Hello, w\u00f6rld", "--max-new-tokens", "12", "--ignore-eos", "--json");
        JsonNode j = new ObjectMapper().readTree(json.out());
        assertThat(j.get("prompt_ids")).hasSize(5);
        assertThat(j.get("generated_ids")).hasSize(12);
        assertThat(j.get("text").isTextual()).isTrue();
        assertThat(text.out()).isEqualTo(j.get("text").asText() + System.lineSeparator());
    }
}
