package io.ortune.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ortune.models.tokenizer.Tokenizer;
import io.ortune.models.tokenizer.Tokenizers;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bytes that are not UTF-8 are reported as {@code FILE:LINE: not valid UTF-8} (skipped when asked), and tokenizer
 * output outside the model's vocabulary fails at load time, not inside ONNX Runtime.
 */
class Utf8DataTest {

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

    /** Writes the UTF-8 lines, with line {@code badLine} (1-based) being "caf" + latin-1 é + "\xff". */
    private Path file(String name, int badLine, String... lines) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        for (int i = 0; i < lines.length; i++) {
            if (i + 1 == badLine) {
                b.write(new byte[] {'c', 'a', 'f', (byte) 0xE9, (byte) 0xFF});
            } else {
                b.write(lines[i].getBytes(StandardCharsets.UTF_8));
            }
            b.write('\n');
        }
        Path p = dir.resolve(name);
        Files.write(p, b.toByteArray());
        return p;
    }

    @Test
    void latin1TextNamesFileAndLine() throws IOException {
        Path p = file("latin1.txt", 3, "first line", "second line", "", "fourth");
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(16)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(p + ":3: not valid UTF-8")
                .hasMessageContaining("--skip-bad-lines")
                .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo(3));
    }

    @Test
    void textWithSkipBadLinesDropsTheLine() throws IOException {
        Path p = file("latin1.txt", 2, "alpha beta", "", "gamma delta");
        Dataset d = DatasetLoader.load(p, tok, LoadOptions.of(64).withSkipBadLines(true));
        assertThat(d.report().badLines()).isEqualTo(1);
        assertThat(d.report().badLineMessages()).containsExactly(p + ":2: not valid UTF-8");
        int[] expected = tok.encode("alpha beta\ngamma delta\n");
        assertThat(d.report().tokens()).isEqualTo(expected.length + 1);
    }

    @Test
    void jsonlLineThatIsNotUtf8() throws IOException {
        Path p = file("data.jsonl", 2, "{\"text\": \"one\"}", "", "{\"text\": \"three\"}");
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(16)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(p + ":2: not valid UTF-8");
        Dataset d = DatasetLoader.load(p, tok, LoadOptions.of(16).withSkipBadLines(true));
        assertThat(d.examples()).hasSize(2);
        assertThat(d.report().badLines()).isEqualTo(1);
        assertThat(d.report().badLineMessages()).containsExactly(p + ":2: not valid UTF-8");
    }

    @Test
    void firstJsonlLineNotUtf8StillDetectsTheFormat() throws IOException {
        Path p = dir.resolve("first.jsonl");
        Files.write(p, concat(concat("{\"text\": \"caf".getBytes(StandardCharsets.UTF_8), new byte[] {(byte) 0xFF}),
                "\"}\n{\"text\": \"two\"}\n".getBytes(StandardCharsets.UTF_8)));
        assertThat(DataFormat.detect(p)).isEqualTo(DataFormat.JSONL);
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(16)))
                .hasMessageStartingWith(p + ":1: not valid UTF-8");
    }

    @Test
    void alpacaArrayNotUtf8NamesTheLine() throws IOException {
        Path p = dir.resolve("a.json");
        byte[] head = "[\n{\"instruction\": \"x\", \"output\": \"y\"},\n{\"instruction\": \"".getBytes(StandardCharsets.UTF_8);
        byte[] tail = "\", \"output\": \"z\"}\n]\n".getBytes(StandardCharsets.UTF_8);
        Files.write(p, concat(concat(head, new byte[] {(byte) 0xFF}), tail));
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(64)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(p + ":3: not valid UTF-8");
    }

    @Test
    void tokenizerLargerThanTheModelVocabularyFailsBeforeTraining() throws IOException {
        Path p = dir.resolve("t.txt");
        Files.writeString(p, "Hello world, a tokenizer for another model", StandardCharsets.UTF_8);
        assertThatThrownBy(() -> DatasetLoader.load(p, tok, LoadOptions.of(16).withVocabSize(50)))
                .isInstanceOf(DataFormatException.class)
                .hasMessageStartingWith(p + ": the tokenizer produced token id")
                .hasMessageContaining("outside the model's vocabulary of 50", "--tokenizer");
        assertThat(DatasetLoader.load(p, tok, LoadOptions.of(16).withVocabSize(50257)).examples()).isNotEmpty();
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] r = new byte[a.length + b.length];
        System.arraycopy(a, 0, r, 0, a.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
