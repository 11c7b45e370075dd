package io.ortune.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ortune fewshot} end to end on the bundled Alpaca data; k above the support size fails with exit code != 0. */
class FewShotCommandTest {

    @TempDir
    Path dir;

    @Test
    void writesOnePromptPerQueryAndRefusesTooLargeK() throws Exception {
        Path support = Path.of(System.getProperty("ortune.root", "..")).resolve("testdata/instruct/instruction-data.json");
        Path q = dir.resolve("q.jsonl");
        Files.writeString(q, "{\"instruction\":\"Add 1 and 2.\",\"output\":\"3\"}\n{\"text\":\"Once upon\"}\n");
        Path out = dir.resolve("out.jsonl");
        assertThat(Main.execute("fewshot", "--support", support.toString(), "--query", q.toString(), "--k", "2",
                "--select", "similar", "-o", out.toString())).isZero();
        assertThat(Files.readAllLines(out)).hasSize(2).allMatch(l -> l.contains("\"reference\""));
        assertThat(Main.execute("fewshot", "--support", q.toString(), "--query", q.toString(), "--k", "3",
                "-o", dir.resolve("o2.jsonl").toString())).isNotZero();
        assertThat(dir.resolve("o2.jsonl")).doesNotExist();
    }
}
