package io.ortune.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every data format, format detection, Alpaca labels, and the errors and counts for bad input. */
class DataLoadingTest {

    static Tokenizer tok;
    static Path testdata;

    @TempDir
    Path dir;

    @BeforeAll
    static void tokenizer() throws IOException {
        testdata = Path.of(System.getProperty("ortune.root", "..")).resolve("testdata");
        Assumptions.assumeTrue(Files.isDirectory(testdata.resolve("tokenizers/gpt2")), "bundled GPT-2 vocab missing");
        tok = Tokenizers.load(testdata.resolve("tokenizers/gpt2"));
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
    }

    private Path file(String name, String... lines) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, String.join("\n", lines) + "\n", StandardCharsets.UTF_8);
        return p;
    }

    private static int eos() {
        return tok.eosId().orElseThrow();
    }

    @Test
    void plainTextIsTokenizedAndCutIntoBlocks() throws IOException {
        Dataset d = DatasetLoader.load(testdata.resolve("text/the-verdict.txt"), tok, LoadOptions.of(64));
        assertThat(d.report().format()).isEqualTo(DataFormat.TEXT);
        int[] all = tok.encode(Files.readString(testdata.resolve("text/the-verdict.txt")));
        assertThat(d.report().tokens()).isEqualTo(all.length + 1);
        assertThat(d.examples()).allMatch(e -> e.length() <= 64);
        assertThat(d.examples().get(0).inputIds()).containsExactly(Arrays.copyOf(all, 64));
        assertThat(d.examples().get(0).labels()).containsExactly(Arrays.copyOf(all, 64));
        assertThat(d.report().truncated()).isZero();
    }

    @Test
    void jsonlTextRecordsEndWithEos() throws IOException {
        Path p = file("a.jsonl", "{\"text\": \"Hello world\"}", "", "{\"text\": \"Second line here\", \"id\": 2}");
        Dataset d = DatasetLoader.load(p, tok, LoadOptions.of(32));
        assertThat(d.report().format()).isEqualTo(DataFormat.JSONL);
        assertThat(d.examples()).hasSize(2);
        int[] hello = tok.encode("Hello world");
        int[] expected = Arrays.copyOf(hello, hello.length + 1);
        expected[hello.length] = eos();
        assertThat(d.examples().get(0).inputIds()).containsExactly(expected);
    }

    @Test
    void tokenizedRecordsKeepTheirLabelsOrGetCausalOnes() throws IOException {
        Path p = file("t.jsonl", "{\"input_ids\": [5, 6, 7, 8]}",
                "{\"input_ids\": [1, 2, 3], \"labels\": [-100, -100, 3]}");
        Dataset d = DatasetLoader.load(p, null, LoadOptions.of(16).withVocabSize(10));
        assertThat(d.report().format()).isEqualTo(DataFormat.TOKENIZED);
        assertThat(d.examples().get(0).labels()).containsExactly(5, 6, 7, 8);
        assertThat(d.examples().get(1).labels()).containsExactly(-100, -100, 3);
        assertThat(d.report().labelledTokens()).isEqualTo(3 + 1);
        Path bad = file("v.jsonl", "{\"input_ids\": [1, 12]}");
        assertThatThrownBy(() -> DatasetLoader.load(bad, null, LoadOptions.of(16).withVocabSize(10)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("v.jsonl:1")
                .hasMessageContaining("'input_ids'[1] = 12");
    }

    @Test
    void alpacaArrayPutsTheLossOnTheResponseOnly() throws IOException {
        Dataset d = DatasetLoader.load(testdata.resolve("instruct/instruction-data.json"), tok, LoadOptions.of(512));
        assertThat(d.report().format()).isEqualTo(DataFormat.ALPACA);
        assertThat(d.examples()).hasSize(1100);
        // record 3: "Convert 45 kilometers to meters.", no input, output "45 kilometers is 45000 meters."
        Example e = d.examples().get(2);
        int[] prompt = tok.encode(AlpacaTemplate.prompt("Convert 45 kilometers to meters.", ""));
        int[] response = tok.encode("45 kilometers is 45000 meters.");
        assertThat(e.length()).isEqualTo(prompt.length + response.length + 1);
        for (int i = 0; i < e.length(); i++) {
            int expected = i < prompt.length ? Example.IGNORE : e.inputIds()[i];
            assertThat(e.labels()[i]).as("label %d", i).isEqualTo(expected);
        }
        assertThat(e.inputIds()[e.length() - 1]).isEqualTo(eos());
        assertThat(tok.decode(Arrays.copyOf(e.inputIds(), prompt.length))).startsWith("Below is an instruction that "
                + "describes a task. Write a response").contains("### Instruction:\nConvert 45 kilometers")
                .doesNotContain("### Input:").endsWith("### Response:\n");
        Example withInput = d.examples().get(0);
        assertThat(tok.decode(withInput.inputIds())).contains("### Input:\nfreind --> friend\n\n### Response:\n");
    }

    @Test
    void alpacaJsonlIsAcceptedToo() throws IOException {
        Path p = file("i.jsonl", "{\"instruction\": \"Say hi.\", \"input\": \"\", \"output\": \"Hi.\"}");
        Dataset d = DatasetLoader.load(p, tok, LoadOptions.of(128));
        assertThat(d.report().format()).isEqualTo(DataFormat.ALPACA);
        assertThat(d.examples().get(0).labelledTargets()).isEqualTo(tok.encode("Hi.").length + 1);
    }

    @Test
    void malformedLineNamesFileAndLineOrIsSkippedAndCounted() throws IOException {
        Path p = file("m.jsonl", "{\"text\": \"fine\"}", "{\"text\": broken", "{\"txt\": \"wrong field\"}",
                "{\"text\": \"also fine\"}");
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(32).withFormat(DataFormat.JSONL)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("m.jsonl:2")
                .hasMessageContaining("not valid JSON").hasMessageContaining("--skip-bad-lines");
        Dataset d = DatasetLoader.load(p, tok, LoadOptions.of(32).withFormat(DataFormat.JSONL).withSkipBadLines(true));
        assertThat(d.examples()).hasSize(2);
        assertThat(d.report().badLines()).isEqualTo(2);
        assertThat(d.report().badLineMessages()).hasSize(2);
        assertThat(d.report().badLineMessages().get(1)).contains("m.jsonl:3", "missing string field 'text'");
    }

    @Test
    void emptyDatasetFailsBeforeTraining() throws IOException {
        Path empty = file("e.jsonl", "");
        assertThatThrownBy(() -> DatasetLoader.load(empty, tok, LoadOptions.of(32).withFormat(DataFormat.JSONL)))
                .isInstanceOf(DataFormatException.class).hasMessageContaining("no training examples");
        Path blanks = file("b.jsonl", "{\"text\": \"\"}");
        assertThatThrownBy(() -> DatasetLoader.load(blanks, tok, LoadOptions.of(32)))
                .hasMessageContaining("no training examples").hasMessageContaining("1 empty record");
    }

    @Test
    void overLongExamplesAreTruncatedAndCounted() throws IOException {
        Path p = file("l.jsonl", "{\"input_ids\": [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]}", "{\"input_ids\": [1, 2, 3]}",
                "{\"input_ids\": [4, 5, 6, 7, 8, 9]}");
        Dataset d = DatasetLoader.load(p, null, LoadOptions.of(4));
        assertThat(d.report().truncated()).isEqualTo(2);
        assertThat(d.examples()).extracting(Example::length).containsExactly(4, 3, 4);
        assertThat(d.report().summary()).contains("2 truncated");
    }

    @Test
    void detectionNeedsAKnownField() throws IOException {
        Path p = file("x.jsonl", "{\"foo\": 1}");
        assertThatThrownBy(() -> DataFormat.detect(p)).hasMessageContaining("x.jsonl:1").hasMessageContaining("[foo]");
        assertThat(DataFormat.parse("Alpaca")).isEqualTo(DataFormat.ALPACA);
    }

    @Test
    void seededSplitIsReproducibleAndDisjoint() {
        List<Example> all = new java.util.ArrayList<>();
        for (int i = 0; i < 50; i++) {
            all.add(Example.causal(new int[] {i, i + 1}));
        }
        Splits.Split a = Splits.split(all, 0.2, 7);
        Splits.Split b = Splits.split(all, 0.2, 7);
        assertThat(a.eval()).hasSize(10).isEqualTo(b.eval());
        assertThat(a.train()).hasSize(40).doesNotContainAnyElementsOf(a.eval());
        assertThat(Splits.split(all, 0.2, 8).eval()).isNotEqualTo(a.eval());
    }
}
