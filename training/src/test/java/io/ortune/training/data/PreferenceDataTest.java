package io.ortune.training.data;

import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Preference records in their three shapes, TRL's sequence layout, keep-end truncation, packing, errors. */
class PreferenceDataTest {

    static Tokenizer tok;

    @TempDir
    Path dir;

    @BeforeAll
    static void tokenizer() throws IOException {
        Path testdata = Path.of(System.getProperty("ortune.root", "..")).resolve("testdata");
        Assumptions.assumeTrue(Files.isDirectory(testdata.resolve("tokenizers/gpt2")), "bundled GPT-2 vocab missing");
        tok = Tokenizers.load(testdata.resolve("tokenizers/gpt2"));
    }

    @AfterAll
    static void close() {
        if (tok != null) {
            tok.close();
        }
    }

    private Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    private static int[] concat(int[]... parts) {
        return Arrays.stream(parts).flatMapToInt(Arrays::stream).toArray();
    }

    @Test
    void textRecordsArePromptTokensThenResponseTokensPlusEos() throws IOException {
        Path f = write("p.jsonl", "{\"prompt\":\"Say hi.\",\"chosen\":\" Hello!\",\"rejected\":\" No.\"}\n");
        PreferencePair p = PreferenceData.load(f, tok, 64, false).pairs().get(0);
        int eos = tok.eosId().orElseThrow();
        assertThat(p.chosen()).containsExactly(concat(tok.encode("Say hi."), tok.encode(" Hello!"), new int[] {eos}));
        assertThat(p.rejected()).containsExactly(concat(tok.encode("Say hi."), tok.encode(" No."), new int[] {eos}));
    }

    @Test
    void alpacaRecordsUseTheAlpacaPrompt() throws IOException {
        Path f = write("a.json", "[{\"instruction\":\"Fix it\",\"input\":\"freind\",\"output\":\"friend\","
                + "\"chosen\":\"friend\",\"rejected\":\"get it together: friend\"}]");
        PreferencePair p = PreferenceData.load(f, tok, 512, false).pairs().get(0);
        int[] prompt = tok.encode(AlpacaTemplate.prompt("Fix it", "freind"));
        assertThat(Arrays.copyOf(p.chosen(), prompt.length)).containsExactly(prompt);
        assertThat(p.chosen()).hasSize(prompt.length + tok.encode("friend").length + 1);
    }

    @Test
    void preTokenizedRecordsAreUsedAsGivenAndTruncationKeepsTheEnd() throws IOException {
        Path f = write("t.jsonl", "{\"prompt_ids\":[1,2,3,4],\"chosen_ids\":[5,6],\"rejected_ids\":[7]}\n");
        PreferenceData.Loaded l = PreferenceData.load(f, null, 4, false);
        assertThat(l.pairs().get(0).chosen()).containsExactly(3, 4, 5, 6);
        assertThat(l.pairs().get(0).rejected()).containsExactly(2, 3, 4, 7);
        assertThat(l.truncated()).isEqualTo(2);
        assertThat(PreferenceData.load(f, null, 8, false).pairs().get(0).chosen()).containsExactly(1, 2, 3, 4, 5, 6);
    }

    @Test
    void aPairPacksIntoOneExampleAndBack() {
        PreferencePair p = new PreferencePair(new int[] {1, 2, 3}, new int[] {4, 5});
        Example e = p.toExample();
        assertThat(e.inputIds()).containsExactly(1, 2, 3, 4, 5);
        assertThat(e.labels()).containsExactly(0, 0, 0, 1, 1);
        assertThat(PreferencePair.of(e)).isEqualTo(p);
        assertThatThrownBy(() -> PreferencePair.of(Example.causal(new int[] {3, 4})))
                .hasMessageContaining("not a packed preference pair");
    }

    @Test
    void missingFieldsNameTheFileLineAndField() throws IOException {
        Path f = write("bad.jsonl", "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}\n"
                + "{\"prompt\":\"a\",\"chosen\":\"b\"}\n");
        assertThatThrownBy(() -> PreferenceData.load(f, tok, 64, false)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("bad.jsonl").hasMessageContaining(":2")
                .hasMessageContaining("lacks 'rejected'");
        Path g = write("bad2.jsonl", "{\"instruction\":\"a\",\"rejected\":\"c\"}\n");
        assertThatThrownBy(() -> PreferenceData.load(g, tok, 64, false)).hasMessageContaining("lacks 'chosen'");
        Path h = write("bad3.jsonl", "{\"chosen\":\"b\",\"rejected\":\"c\"}\n");
        assertThatThrownBy(() -> PreferenceData.load(h, tok, 64, false))
                .hasMessageContaining("neither 'prompt' nor 'instruction'");
        Path i = write("bad4.jsonl", "{\"prompt_ids\":[1],\"chosen_ids\":[2, -3],\"rejected_ids\":[4]}\n");
        assertThatThrownBy(() -> PreferenceData.load(i, tok, 64, false)).hasMessageContaining("'chosen_ids'[1]");
        Path j = write("text.jsonl", "{\"prompt\":\"a\",\"chosen\":\"b\",\"rejected\":\"c\"}\n");
        assertThatThrownBy(() -> PreferenceData.load(j, null, 64, false)).hasMessageContaining("no tokenizer");
    }

    @Test
    void classificationRecordsCarryTheirLabelAndBadLabelsAreRefused() throws IOException {
        Path f = write("c.jsonl", "{\"text\":\"good\",\"label\":1}\n{\"text\":\"bad\",\"label\":0}\n");
        List<Example> rows = ClassificationData.load(f, tok, 16, 2);
        assertThat(rows).hasSize(2);
        assertThat(ClassificationData.label(rows.get(0))).isEqualTo(1);
        assertThat(rows.get(1).inputIds()).containsExactly(tok.encode("bad", true));
        Path g = write("c2.jsonl", "{\"text\":\"good\",\"label\":2}\n");
        assertThatThrownBy(() -> ClassificationData.load(g, tok, 16, 2)).isInstanceOf(DataFormatException.class)
                .hasMessageContaining("c2.jsonl").hasMessageContaining("'label' in [0, 2)");
    }
}
