package io.ortune.training.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.code_intelligence.jazzer.junit.FuzzTest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jazzer fuzz target of the JSON Lines / JSON array record reader over pre-tokenized records ({@code input_ids},
 * optional {@code labels}; the formats needing a tokenizer share the reader, not the converter): any file either
 * loads or fails with {@link DataFormatException} naming the file; anything else escaping is a finding. Plain
 * {@code mvn test} runs the seeds in {@code TokenizedRecordsFuzzTestInputs/records/}; {@code JAZZER_FUZZ=1} fuzzes
 * for {@code maxDuration}.
 */
class TokenizedRecordsFuzzTest {

    private static Path file;

    @TempDir
    Path dir;

    /**
     * Finding of the first fuzz run (reproducer {@code records/utf32_guess_invalid}): a file starting {@code [} then
     * zero bytes made Jackson guess UTF-32 and throw a bare {@code CharConversionException} not naming the file.
     */
    @Test
    void anArrayFileJacksonTakesForUtf32IsRefusedAsNotUtf8NamingTheFile() throws IOException {
        byte[] b;
        try (var in = TokenizedRecordsFuzzTest.class.getResourceAsStream(
                "TokenizedRecordsFuzzTestInputs/records/utf32_guess_invalid")) {
            b = in.readAllBytes();
        }
        Path f = Files.write(dir.resolve("odd.json"), b);
        assertThatThrownBy(() -> DatasetLoader.load(f, null, new LoadOptions(DataFormat.TOKENIZED, 16, false, true,
                64))).isInstanceOf(DataFormatException.class).hasMessageContaining("odd.json")
                .hasMessageContaining("not valid UTF-8");
    }

    @FuzzTest(maxDuration = "10s")
    void records(byte[] bytes) throws IOException {
        if (file == null) {
            file = Files.createTempFile("fuzz-records", ".jsonl");
            file.toFile().deleteOnExit();
        }
        Files.write(file, bytes);
        try {
            Dataset d = DatasetLoader.load(file, null, new LoadOptions(DataFormat.TOKENIZED, 16, false, true, 64));
            assertThat(d).isNotNull();
        } catch (DataFormatException expected) {
            assertThat(expected.getMessage()).contains(file.getFileName().toString());
        }
    }
}
