package io.ortune.models.tokenizer;

import static org.assertj.core.api.Assertions.assertThat;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Jazzer fuzz target of the {@code tokenizer.json} loader: any file contents either load into a tokenizer that
 * encodes a short text, or fail with {@link TokenizerException} naming the file; anything else escaping is a
 * finding. Plain {@code mvn test} runs the seeds in {@code HfTokenizerFuzzTestInputs/tokenizerJson/};
 * {@code JAZZER_FUZZ=1} fuzzes for {@code maxDuration}.
 */
class HfTokenizerFuzzTest {

    private static Path file;

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
