package io.ortune.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every {@code ./ortune ...} line in a bash block of the README files parses with today's verbs and flags (parse
 * only: nothing runs), so a command a user copies from the docs is never refused as unknown.
 */
class DocsCommandLinesTest {

    private static final String[] DOCS = {"README.md", "cli/README.md", "docs/benchmarks.md", "pipeline/README.md",
        "export/README.md", "deploy-bench/README.md", "tensorrt/README.md"};

    @Test
    void everyDocumentedCommandParses() throws IOException {
        List<String> failures = new ArrayList<>();
        int checked = 0;
        for (String doc : DOCS) {
            var path = CliRun.root().resolve(doc);
            if (!Files.isRegularFile(path)) {
                continue;
            }
            boolean inBash = false;
            int lineNo = 0;
            for (String line : Files.readAllLines(path)) {
                lineNo++;
                String t = line.strip();
                if (t.startsWith("```")) {
                    inBash = !inBash && t.startsWith("```bash");
                    continue;
                }
                if (!inBash || !t.startsWith("./ortune ") || t.contains("...") || t.endsWith("\\")) {
                    continue;
                }
                String[] args = words(t.substring("./ortune ".length()));
                try {
                    new CommandLine(new Main()).parseArgs(args);
                    checked++;
                } catch (CommandLine.ParameterException e) {
                    failures.add(doc + ":" + lineNo + ": " + e.getMessage() + "\n    " + t);
                }
            }
        }
        assertThat(failures).as("documented commands that do not parse").isEmpty();
        assertThat(checked).as("documented commands checked").isGreaterThan(10);
    }

    /** Splits on spaces, keeping single- or double-quoted words whole (enough for the docs' commands). */
    private static String[] words(String s) {
        List<String> out = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        char quote = 0;
        boolean any = false;
        for (char c : s.toCharArray()) {
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else {
                    cur.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                any = true;
            } else if (c == ' ') {
                if (any || cur.length() > 0) {
                    out.add(cur.toString());
                }
                cur.setLength(0);
                any = false;
            } else if (c == '#') {
                break;
            } else {
                cur.append(c);
                any = true;
            }
        }
        if (any || cur.length() > 0) {
            out.add(cur.toString());
        }
        return out.toArray(String[]::new);
    }
}
