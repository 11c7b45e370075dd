package io.ortune.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ortune build} then {@code ortune generate} on stories260K, against the PyTorch golden greedy continuation;
 * the JSON shape; usage errors (exit 2) and failures (exit 1, one line).
 */
class GenerateCommandTest {

    @TempDir
    static Path dir;

    static Path training;
    static Path kv;
    static String goldenIds;
    static String promptIds;

    @BeforeAll
    static void build() throws IOException {
        JsonNode greedy = new ObjectMapper().readTree(
                Path.of(CliRun.file("models/src/test/resources/golden/stories260K/greedy.json")).toFile());
        promptIds = join(greedy.get("prompt_ids"), ",");
        goldenIds = join(greedy.get("generated_ids"), " ");
        training = dir.resolve("stories.onnx");
        kv = dir.resolve("stories-kv.onnx");
        CliRun t = CliRun.of("build", "--llama2c", CliRun.file("testdata/models/stories260K.bin"), "-o",
                training.toString());
        assertThat(t.exit()).as(t.toString()).isZero();
        assertThat(t.out()).contains("a llama model with", "training form", "parameters");
        CliRun k = CliRun.of("build", "--llama2c", CliRun.file("testdata/models/stories260K.bin"), "-o",
                kv.toString(), "--kv-cache");
        assertThat(k.exit()).as(k.toString()).isZero();
        assertThat(k.out()).contains("kv-cache form", "past_key_values.{0..4}.key|value", "present.{0..4}.key|value");
    }

    private static String join(JsonNode array, String sep) {
        List<String> parts = new ArrayList<>();
        array.forEach(n -> parts.add(n.asText()));
        return String.join(sep, parts);
    }

    @Test
    void greedyIdsFromTheKvModelEqualTheGolden() {
        CliRun r = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "40");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().trim()).isEqualTo(goldenIds);
        assertThat(r.err()).contains("40 new tokens", "max_new_tokens");
    }

    @Test
    void topKZeroAndTopPOneAreOffSoDecodingStaysGreedy() {
        CliRun k0 = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "40",
                "--top-k", "0", "--seed", "7");
        assertThat(k0.exit()).as(k0.toString()).isZero();
        assertThat(k0.out().trim()).isEqualTo(goldenIds);
        CliRun p1 = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "40",
                "--top-p", "1", "--top-k", "0", "--seed", "7");
        assertThat(p1.out().trim()).as(p1.toString()).isEqualTo(goldenIds);
    }

    @Test
    void aTrainingFormModelIsConvertedInMemory() {
        CliRun r = CliRun.of("generate", "--model", training.toString(), "--prompt-ids", promptIds,
                "--max-new-tokens", "40", "--threads", "1");
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out().trim()).isEqualTo(goldenIds);
    }

    @Test
    void buildFromRebuildsTheOtherForm() {
        Path rebuilt = dir.resolve("rebuilt-kv.onnx");
        CliRun b = CliRun.of("build", "--from", training.toString(), "--kv-cache", "-o", rebuilt.toString());
        assertThat(b.exit()).as(b.toString()).isZero();
        assertThat(b.out()).contains("from " + training, "kv-cache form");
        CliRun r = CliRun.of("generate", "--model", rebuilt.toString(), "--prompt-ids", promptIds,
                "--max-new-tokens", "40");
        assertThat(r.out().trim()).isEqualTo(goldenIds);
    }

    @Test
    void jsonPrintsOneObject() throws IOException {
        CliRun r = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "8",
                "--json");
        assertThat(r.exit()).as(r.toString()).isZero();
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(r.out().trim().split("\n")).hasSize(1);
        assertThat(j.get("prompt_ids").toString()).isEqualTo("[" + promptIds + "]");
        assertThat(j.get("generated_ids").toString())
                .isEqualTo("[" + String.join(",", Arrays.copyOf(goldenIds.split(" "), 8)) + "]");
        assertThat(j.get("text").isNull()).isTrue();
        assertThat(j.get("stop_reason").asText()).isEqualTo("max_new_tokens");
        assertThat(j.get("prefill_ms").isNumber()).isTrue();
        assertThat(j.get("decode_ms").isNumber()).isTrue();
        assertThat(j.get("decode_tokens_per_s").asDouble()).isPositive();
    }

    @Test
    void stopIdsEndGeneration() throws IOException {
        String[] golden = goldenIds.split(" ");
        CliRun r = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "40",
                "--stop-ids", golden[7] + ",9999", "--json");
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertThat(j.get("generated_ids")).hasSize(8);
        assertThat(j.get("stop_reason").asText()).isEqualTo("stop_token");
    }

    @Test
    void seededSamplingRepeats() {
        String[] args = {"generate", "--model", kv.toString(), "--prompt-ids", promptIds, "--max-new-tokens", "20",
            "--temperature", "1.1", "--top-k", "50", "--top-p", "0.9", "--seed", "7"};
        CliRun a = CliRun.of(args);
        CliRun b = CliRun.of(args);
        assertThat(a.exit()).as(a.toString()).isZero();
        assertThat(a.out()).isEqualTo(b.out());
    }

    @Test
    void badUsageExitsWithTwo() {
        assertThat(CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", "1,2").exit())
                .as("--max-new-tokens missing").isEqualTo(2);
        assertThat(CliRun.of("generate", "--model", kv.toString(), "--prompt", "hi", "--prompt-ids", "1",
                "--max-new-tokens", "3").exit()).as("two prompts").isEqualTo(2);
        CliRun noTokenizer = CliRun.of("generate", "--model", kv.toString(), "--prompt", "Once upon a time",
                "--max-new-tokens", "3");
        assertThat(noTokenizer.exit()).isEqualTo(2);
        assertThat(noTokenizer.err()).contains("--prompt needs --tokenizer");
        assertThat(CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", "1", "--max-new-tokens", "3",
                "--top-p", "1.5").exit()).as("top-p out of range").isEqualTo(2);
        assertThat(CliRun.of("build", "-o", dir.resolve("x.onnx").toString()).exit()).as("no source").isEqualTo(2);
    }

    @Test
    void missingModelFailsWithOneLine() {
        Path missing = dir.resolve("missing.onnx");
        CliRun r = CliRun.of("generate", "--model", missing.toString(), "--prompt-ids", "1", "--max-new-tokens", "3");
        assertThat(r.exit()).isEqualTo(1);
        String first = r.err().split("\n")[0];
        assertThat(first).startsWith("ortune generate: error: ").contains(missing.toString(), "model file not found");
        assertThat(r.out()).isEmpty();
    }

    @Test
    void missingTokenizerFailsWithOneLine() {
        CliRun r = CliRun.of("generate", "--model", kv.toString(), "--tokenizer", dir.resolve("nope").toString(),
                "--prompt", "hi", "--max-new-tokens", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().split("\n")[0]).contains("nope", "tokenizer file or folder not found");
    }

    @Test
    void promptIdsOutsideTheVocabularyFail() {
        CliRun r = CliRun.of("generate", "--model", kv.toString(), "--prompt-ids", "1,512", "--max-new-tokens", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().split("\n")[0]).contains("id 512 at position 1 is outside the model's vocabulary [0, 512)");
    }

    @Test
    void aModelNotBuiltByOrtuneAndNotKvShapedFails() {
        CliRun r = CliRun.of("generate", "--model",
                CliRun.file("testdata/onnx-backend/pytorch-converted/test_Linear/model.onnx"), "--prompt-ids", "1",
                "--max-new-tokens", "3");
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.err().split("\n")[0]).contains("was not built by ortune", "not KV-cache shaped",
                "ortune build");
    }

    @Test
    void runStillWorksOnTheTrainingForm() throws IOException {
        Path in = dir.resolve("inputs");
        Files.createDirectories(in);
        long[] ids = Arrays.stream(promptIds.split(",")).mapToLong(Long::parseLong).toArray();
        long[] mask = new long[ids.length];
        Arrays.fill(mask, 1);
        long[] dims = {1, ids.length};
        io.ortune.graph.io.NpyFiles.write(io.ortune.graph.ir.Tensor.ofLongs("input_ids", dims, ids),
                in.resolve("ids.npy"));
        io.ortune.graph.io.NpyFiles.write(io.ortune.graph.ir.Tensor.ofLongs("attention_mask", dims, mask),
                in.resolve("mask.npy"));
        Path out = dir.resolve("run-out");
        CliRun r = CliRun.of("run", training.toString(), "--input", "input_ids=" + in.resolve("ids.npy"),
                "--input", "attention_mask=" + in.resolve("mask.npy"), "--output-dir", out.toString());
        assertThat(r.exit()).as(r.toString()).isZero();
        assertThat(r.out()).contains("logits: float[1, 5, 512]");
        assertThat(out.resolve("logits.npy")).exists();
    }
}
