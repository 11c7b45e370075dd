package io.ortune.models.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jazzer fuzz target of the {@code tokenizer.json} loader: any file contents either load into a tokenizer that
 * encodes a short text, or fail with {@link TokenizerException} naming the file; anything else escaping is a
 * finding. Plain {@code mvn test} runs the seeds in {@code HfTokenizerFuzzTestInputs/tokenizerJson/};
 * {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class HfTokenizerFuzzTest {

    private static Path file;

    @TempDir
    Path dir;

    /**
     * Finding of the first fuzz run (after 1,913 executions; reproducer {@code tokenizerJson/utf32_bom}): bytes
     * starting with four zero bytes make Jackson decode UTF-32, and a code unit above U+10FFFF escaped as a plain
     * {@link java.io.CharConversionException} instead of a {@link TokenizerException} naming the file.
     */
    @Test
    void invalidUtf32TextIsATokenizerErrorNamingTheFile() throws IOException {
        Path f = Files.write(dir.resolve(Tokenizers.HF_FILE),
                new byte[] {0, 0, 0, 0, 0, '{', '"', 'm', (byte) 0xac, 'o', '"', ':', '1', '}'});
        assertThatThrownBy(() -> Tokenizers.load(f)).isInstanceOf(TokenizerException.class)
                .hasMessageContaining(f.toString()).hasMessageContaining("not valid JSON text");
    }

    @FuzzTest(maxDuration = "10s")
    void tokenizerJson(byte[] bytes) throws IOException {
        if (file == null) {
            Path dir = Files.createTempDirectory("fuzz-tokenizer");
            dir.toFile().deleteOnExit();
            file = dir.resolve(Tokenizers.HF_FILE);
            file.toFile().deleteOnExit();
        }
        Files.write(file, bytes);
        try {
            Tokenizer t = Tokenizers.load(file);
            assertThat(t.encode("ab")).isNotNull();
        } catch (TokenizerException expected) {
            assertThat(expected.getMessage()).contains(file.getFileName().toString());
        }
    }
}
