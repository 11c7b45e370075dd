package io.ortune.training.data;

import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** k-shot prompts: record shapes, seeded choice, similarity choice, output loadable as training data, errors. */
class FewShotTest {

    @TempDir
    Path dir;

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private Path support() throws IOException {
        StringBuilder s = new StringBuilder();
        for (int i = 0; i < 10; i++) {
            s.append("{\"instruction\":\"Add ").append(i).append(" and one.\",\"output\":\"").append(i + 1)
                    .append("\"}\n");
        }
        return write("support.jsonl", s.toString());
    }

    @Test
    void promptIsKRenderedDemonstrationsThenTheQuery() throws IOException {
        Path sup = support();
        Path q = write("q.jsonl", "{\"instruction\":\"Translate\",\"input\":\"chat\",\"output\":\"cat\"}\n");
        List<ShotRecord> s = ShotRecord.load(sup);
        List<FewShotPrompt> out = FewShot.build(sup, s, ShotRecord.load(q), 3, 7, FewShotSelection.RANDOM);
        assertThat(out).hasSize(1);
        FewShotPrompt p = out.get(0);
        StringBuilder expected = new StringBuilder();
        for (long line : p.supportLines()) {
            int i = (int) line - 1;
            expected.append(AlpacaTemplate.prompt("Add " + i + " and one.", null)).append(i + 1).append("\n\n");
        }
        expected.append(AlpacaTemplate.prompt("Translate", "chat"));
        assertThat(p.prompt()).isEqualTo(expected.toString());
        assertThat(p.reference()).isEqualTo("cat");
        assertThat(p.supportLines()).hasSize(3).doesNotHaveDuplicates();
        assertThat(p.queryLine()).isEqualTo(1);
    }

    @Test
    void sameSeedSameChoiceOtherSeedOtherChoiceAndEveryDrawIsDistinct() throws IOException {
        Path sup = support();
        List<ShotRecord> s = ShotRecord.load(sup);
        List<ShotRecord> queries = List.of(new ShotRecord("q1", "a", 1), new ShotRecord("q2", "b", 2));
        List<FewShotPrompt> a = FewShot.build(sup, s, queries, 5, 1, FewShotSelection.RANDOM);
        List<FewShotPrompt> b = FewShot.build(sup, s, queries, 5, 1, FewShotSelection.RANDOM);
        List<FewShotPrompt> c = FewShot.build(sup, s, queries, 5, 2, FewShotSelection.RANDOM);
        assertThat(a).isEqualTo(b);
        assertThat(a.get(0).supportLines()).isNotEqualTo(c.get(0).supportLines());
        assertThat(a.get(0).supportLines()).isNotEqualTo(a.get(1).supportLines());
        Random r = new Random(3);
        for (int t = 0; t < 200; t++) {
            List<Integer> d = FewShot.draw(r, 10, 10);
            assertThat(new HashSet<>(d)).hasSize(10);
        }
    }

    @Test
    void drawIsUniformOverSupportWithinFiveSigma() {
        Random r = new Random(11);
        int[] counts = new int[10];
        int trials = 20_000;
        for (int t = 0; t < trials; t++) {
            for (int i : FewShot.draw(r, 10, 3)) {
                counts[i]++;
            }
        }
        double expected = trials * 0.3;
        double sigma = Math.sqrt(trials * 0.3 * 0.7);
        for (int c : counts) {
            assertThat(Math.abs(c - expected)).isLessThan(5 * sigma);
        }
    }

    @Test
    void similarPicksTheSupportRecordsSharingMostWords() throws IOException {
        Path sup = write("s.jsonl", String.join("\n",
                "{\"prompt\":\"What colour is the sky?\",\"response\":\"Blue.\"}",
                "{\"prompt\":\"How many legs has a spider?\",\"response\":\"Eight.\"}",
                "{\"prompt\":\"What colour is fresh grass?\",\"response\":\"Green.\"}",
                "{\"text\":\"Spiders spin webs.\"}"));
        List<ShotRecord> s = ShotRecord.load(sup);
        List<ShotRecord> q = List.of(new ShotRecord(AlpacaTemplate.prompt("What colour is fresh snow?", null), "White.", 1),
                new ShotRecord(AlpacaTemplate.prompt("How many legs has an ant?", null), "Six.", 2));
        List<FewShotPrompt> out = FewShot.build(sup, s, q, 2, 0, FewShotSelection.SIMILAR);
        // template words (is, a, the, ...) left out: {what, colour, fresh, snow} vs grass 3/5 = 0.6 > sky 2/5 = 0.4
        assertThat(out.get(0).supportLines()).containsExactly(3L, 1L);
        assertThat(out.get(1).supportLines().get(0)).isEqualTo(2L);
        assertThat(FewShot.jaccard(FewShot.words("x y z"), FewShot.words("y z w"))).isEqualTo(0.5);
        assertThat(s.get(3).rendered()).isEqualTo("Spiders spin webs.");
    }

    @Test
    void outputLoadsAsJsonlTrainingDataWithPromptAndReference() throws IOException {
        Path testdata = Path.of(System.getProperty("ortune.root", "..")).resolve("testdata");
        Assumptions.assumeTrue(Files.isDirectory(testdata.resolve("tokenizers/gpt2")), "bundled GPT-2 vocab missing");
        Path sup = support();
        Path q = write("q.json", "[{\"instruction\":\"Add 41 and one.\",\"output\":\"42\"},\n"
                + "{\"instruction\":\"Add 9 and one.\",\"output\":\"10\"}]");
        Path out = dir.resolve("fewshot.jsonl");
        FewShot.write(out, FewShot.build(sup, ShotRecord.load(sup), ShotRecord.load(q), 2, 5,
                FewShotSelection.RANDOM));
        assertThat(DataFormat.detect(out)).isEqualTo(DataFormat.JSONL);
        List<String> lines = Files.readAllLines(out);
        assertThat(lines).hasSize(2);
        var rec = new com.fasterxml.jackson.databind.ObjectMapper().readTree(lines.get(0));
        assertThat(rec.get("reference").asText()).isEqualTo("42");
        assertThat(rec.get("text").asText()).isEqualTo(rec.get("prompt").asText() + "42");
        assertThat(rec.get("prompt").asText()).endsWith(AlpacaTemplate.prompt("Add 41 and one.", null));
        try (Tokenizer tok = Tokenizers.load(testdata.resolve("tokenizers/gpt2"))) {
            Dataset d = DatasetLoader.load(out, tok, LoadOptions.of(1024));
            assertThat(d.examples()).hasSize(2);
        }
    }

    @Test
    void errorsNameFileAndLine() throws IOException {
        Path sup = support();
        List<ShotRecord> s = ShotRecord.load(sup);
        assertThatThrownBy(() -> FewShot.build(sup, s, s, 11, 0, FewShotSelection.RANDOM))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining(sup.toString()).hasMessageContaining("--k 11").hasMessageContaining("has 10");
        assertThatThrownBy(() -> FewShot.build(sup, s, s, 0, 0, FewShotSelection.RANDOM))
                .hasMessageContaining("--k must be at least 1");
        Path empty = write("empty.jsonl", "\n\n");
        assertThatThrownBy(() -> ShotRecord.load(empty)).isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(empty + ": no record");
        Path bad = write("bad.jsonl", "{\"text\":\"ok\"}\n{\"instruction\":\"x\"}\n");
        assertThatThrownBy(() -> ShotRecord.load(bad)).hasMessageStartingWith(bad + ":2: missing string field 'output'");
        Path json = write("bad2.jsonl", "{\"text\":\"ok\"}\n\n{nope\n");
        assertThatThrownBy(() -> ShotRecord.load(json)).hasMessageStartingWith(json + ":3: not valid JSON");
        Path other = write("bad3.jsonl", "{\"question\":\"x\"}\n");
        assertThatThrownBy(() -> ShotRecord.load(other)).hasMessageStartingWith(other + ":1: record has fields [question]");
        Path typed = write("bad4.jsonl", "{\"prompt\":\"x\",\"response\":3}\n");
        assertThatThrownBy(() -> ShotRecord.load(typed)).hasMessageContaining(":1: field 'response' must be a string");
        assertThatThrownBy(() -> FewShotSelection.parse("nearest")).hasMessageContaining("known: random, similar");
    }
}
