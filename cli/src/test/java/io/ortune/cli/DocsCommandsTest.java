package io.ortune.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Commands a user copies from the docs use the repaired upstream stories260K, never the scrambled
 * {@code stories260K.bin}, and the files they name exist.
 */
class DocsCommandsTest {

    private static final Pattern STORIES = Pattern.compile("testdata/models/stories260K[\\w.-]*\\.bin");

    @Test
    void docsCommandsUseTheUpstreamStories260K() throws IOException {
        for (String doc : new String[] {"cli/README.md", "docs/benchmarks.md", "README.md"}) {
            String text = Files.readString(Path.of(CliRun.file(doc)));
            Matcher m = STORIES.matcher(text);
            while (m.find()) {
                assertThat(m.group()).as(doc).isEqualTo("testdata/models/stories260K-upstream.bin");
                assertThat(CliRun.root().resolve(m.group())).as(doc).isRegularFile();
            }
            assertThat(text).as(doc).doesNotContain("--llama2c testdata/models/stories260K.bin",
                    "--stories-bin testdata/models/stories260K.bin");
        }
    }
}
